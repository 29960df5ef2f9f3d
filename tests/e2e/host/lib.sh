# shellcheck shell=sh
# Helpers of the host end-to-end tests (sourced). The host kernel has no pmem: these tests use
# XFS with reflink on a loop device and the page cache, with tracepoints only.

BUILD=${BUILD:-build}
DAXTRACE=${DAXTRACE:-$BUILD/daxtrace}
WORKLOAD=${WORKLOAD:-$BUILD/tools/dt-workload}

# One line per result, for tests/run.sh.
pass() { echo "PASS host/$1"; }
fail() { echo "FAIL host/$1: $2"; }
skip() { echo "SKIP host/$1: $2"; }

# check NAME ACTUAL EXPECTED [WHAT]
check() {
	if [ "$2" = "$3" ]; then
		pass "$1${4:+/$4}"
	else
		fail "$1${4:+/$4}" "expected $3, got '$2'"
	fi
}

# run_suite SCRIPT: a sub-suite exits 0 once it has run every test; any other status (a shell
# error, a signal, an exit on the way) is a FAIL, so that its missing checks cannot pass unseen.
# Its time is an INFO line (no result: tests/run.sh does not count it), to see where make
# check's time goes.
run_suite() {
	suite_start=$(date +%s)
	"$1" || fail "${1##*/}" "stopped before its end (exit status $?), its remaining tests did not run"
	echo "INFO host/${1##*/} $(($(date +%s) - suite_start)) s"
}

# A fresh XFS (reflink) on a loop device under a temp dir, removed on exit even on failure.
setup_xfs() {
	workdir=$(mktemp -d /tmp/daxtrace-e2e.XXXXXX)
	mnt=$workdir/mnt
	trap teardown_xfs EXIT
	trap 'exit 130' INT TERM
	truncate -s 2G "$workdir/img"
	mkfs.xfs -q -f -m reflink=1 "$workdir/img"
	mkdir "$mnt"
	# -o loop sets the loop device's autoclear flag: umount detaches it.
	mount -o loop "$workdir/img" "$mnt"
	# shellcheck disable=SC2034 # read by the suites that source this file
	devno=$(mountpoint -d "$mnt")
}

teardown_xfs() {
	for m in "$workdir/cgroup2" "$workdir/late" "$mnt"; do
		mountpoint -q "$m" 2> /dev/null && umount "$m"
	done
	# Never delete into a file system still mounted (a process may still hold it).
	mountpoint -q "$mnt" 2> /dev/null || rm -rf "$workdir"
}

# top_json [TOP OPTIONS] -- CMD...: the report objects only (the workload prints JSON too).
top_json() {
	"$DAXTRACE" top --json "$@" | grep '^{"time"'
}

# Page-cache state would make mkwrite counts depend on history: start each test cold.
drop_caches() {
	sync
	echo 3 > /proc/sys/vm/drop_caches
}

# wait_for_line FILE PATTERN: until FILE (a log being written) has a line matching PATTERN, 10 s
# at most.
wait_for_line() {
	for _ in $(seq 100); do
		grep -q "$2" "$1" && return 0
		sleep 0.1
	done
	return 1
}

# A TCP port on 127.0.0.1 free now, for an exporter.
free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# in_background LOG CMD...: CMD in the background ($! is its pid), its stderr appended to LOG,
# which is emptied first, here. With `CMD 2> LOG &` the shell empties LOG in the child, after `&`
# has returned: a wait_for_line straight after could still read an earlier run's LOG, see its
# "listening" or "attached", and start a workload before CMD attached.
in_background() {
	bg_log=$1
	shift
	: > "$bg_log"
	"$@" 2>> "$bg_log" &
}

# wait_attached LOG: until a daxtrace started with -v says on stderr (LOG) that it attached.
wait_attached() {
	wait_for_line "$1" "^daxtrace: attached"
}

# The BPF objects a process holds, as "map:ID" / "prog:ID" / "link:ID" lines, from the fdinfo of
# its descriptors. Following IDs, not names, keeps the test exact while an earlier run's maps are
# still being freed by the kernel (a worker frees them after the last reference goes).
held_objects() {
	sed -n 's/^\(map\|prog\|link\)_id:[[:space:]]*\([0-9]*\)$/\1:\2/p' /proc/"$1"/fdinfo/* 2>/dev/null |
		sort -u
}

# How many of the objects listed in file $1 the kernel still has.
still_present() {
	{
		bpftool map list -j | jq -r '.[] | "map:\(.id)"'
		bpftool prog list -j | jq -r '.[] | "prog:\(.id)"'
		bpftool link list -j | jq -r '.[] | "link:\(.id)"'
	} 2>/dev/null | sort -u | comm -12 - "$1" | wc -l
}

# released HELD: 0 once the kernel freed every object listed in file HELD; a leak (a pinned map, a
# child holding an fd) stays for good, so give the kernel's deferred frees 3 s.
released() {
	for _ in $(seq 30); do
		[ "$(still_present "$1")" = 0 ] && return 0
		sleep 0.1
	done
	return 1
}

# as_nobody_in SETUP CAPS CMD...: CMD as user nobody with exactly CAPS (",+bpf,+perfmon", or ""
# for none); if SETUP is not empty, in a mount namespace of its own (private: the host keeps its
# mounts), after the shell commands SETUP.
as_nobody_in() {
	setup=$1
	caps=$2
	shift 2
	if [ -n "$caps" ]; then
		set -- --inh-caps=-all"$caps" --ambient-caps=-all"$caps" "$@"
	else
		set -- --inh-caps=-all "$@"
	fi
	set -- setpriv --reuid=nobody --regid=nogroup --clear-groups "$@"
	if [ -n "$setup" ]; then
		unshare -m sh -c "$setup"' && exec "$@"' sh "$@"
	else
		"$@"
	fi
}

as_nobody() {
	as_nobody_in "" "$@"
}

# cgroup2_root: sets $cgroup_root to the cgroup v2 hierarchy's mount point, mounting one under
# $workdir (teardown_xfs unmounts it) when the host has none; returns 1 if none can be had.
cgroup2_root() {
	cgroup_root=$(awk '$3 == "cgroup2" { print $2; exit }' /proc/mounts)
	[ -n "$cgroup_root" ] && return 0
	cgroup_root=$workdir/cgroup2
	mkdir -p "$cgroup_root" && mount -t cgroup2 none "$cgroup_root"
}
