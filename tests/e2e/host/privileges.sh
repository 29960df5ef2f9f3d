#!/bin/sh
# Least privilege and hostile environments: daxtrace as user nobody with CAP_BPF and CAP_PERFMON
# only counts exactly what root counts; a missing capability is named; tracefs missing or
# unreadable is named, not blamed on a missing tracepoint (docs/daxtrace.8, REQUIREMENTS).
set -u
here=$(dirname "$0")
. "$here/lib.sh"

if ! command -v setpriv > /dev/null; then
	skip privileges "setpriv (util-linux) missing"
	exit 0
fi
setup_xfs
chmod 755 "$workdir" # mktemp -d is 0700: let nobody reach the mount

N=8

# The minimal set: the same exact mkwrite count as root, from the same workload, as nobody.
test_least_privilege() {
	f=$mnt/least-privilege
	"$WORKLOAD" create "$f" 16m > /dev/null
	chmod 666 "$f"
	drop_caches
	root=$(top_json -- "$WORKLOAD" mwrite "$f" $N --stride 1m | jq .total.mkwrite)
	drop_caches
	out=$(as_nobody ,+bpf,+perfmon "$DAXTRACE" top --json -- "$WORKLOAD" mwrite "$f" $N \
		--stride 1m | grep '^{"time"')
	check least-privilege "$root" $N root
	check least-privilege "$(echo "$out" | jq .total.mkwrite)" $N bpf-perfmon
	check least-privilege "$(echo "$out" | jq -r '.attach["mkwrite.xfs"]')" tp_btf attach
	check least-privilege "$(echo "$out" | jq '[.files[] | select(.path == "'"$f"'")][0].mkwrite')" \
		$N file-path
}

# -p of root's process, as nobody with the two capabilities: no ptrace right is needed (pidfd,
# in-kernel filter); the report comes when the process exits, with its exact count.
test_other_users_pid() {
	f=$mnt/other-user
	gate=$workdir/other-user-gate
	"$WORKLOAD" create "$f" 16m > /dev/null
	drop_caches
	mkfifo "$gate"
	sh -c "read go < '$gate'; exec '$WORKLOAD' mwrite '$f' $N --stride 1m > /dev/null" &
	target=$!
	in_background "$workdir/other.err" as_nobody ,+bpf,+perfmon "$DAXTRACE" top --json -v -i 60 \
		-p $target > "$workdir/other.out"
	top=$!
	wait_attached "$workdir/other.err"
	echo go > "$gate"
	wait $target
	wait $top
	check other-users-pid $? 0 status
	check other-users-pid "$(grep '^{"time"' "$workdir/other.out" | jq .total.mkwrite)" $N total
}

# Each missing capability is named, exit 1.
test_missing_capability() {
	for caps in "" ,+bpf ,+perfmon; do
		case "$caps" in
		"") want="CAP_BPF and CAP_PERFMON" ;;
		,+bpf) want=CAP_PERFMON ;;
		*) want=CAP_BPF ;;
		esac
		err=$(as_nobody "$caps" "$DAXTRACE" top -n 1 2>&1)
		check "missing-capability/${caps:-none}" $? 1 status
		check "missing-capability/${caps:-none}" "$err" \
			"daxtrace top: needs CAP_BPF and CAP_PERFMON (or root), and lacks $want: run as root or grant them" \
			message
	done
}

# shellcheck disable=SC2016 # run by the namespace's shell (as_nobody_in), expanded there
NO_TRACEFS='for m in /sys/kernel/tracing /sys/kernel/debug/tracing; do
	while mountpoint -q $m 2> /dev/null; do umount $m || exit 1; done
done'
ROOT_ONLY_TRACEFS="$NO_TRACEFS"' && mount -t tracefs tracefs /sys/kernel/tracing'
REFUSED="tracefs is not mounted on /sys/kernel/tracing and mounting it was refused (it needs CAP_SYS_ADMIN): run as root, or mount it first"
UNREADABLE="cannot read tracefs (/sys/kernel/tracing: permission denied): run as root or with CAP_DAC_READ_SEARCH"

# No tracefs, and no right to mount it: tp_btf needs none; classic says why it cannot work.
test_no_tracefs() {
	doctor=$(as_nobody_in "$NO_TRACEFS" ,+bpf,+perfmon "$DAXTRACE" doctor --json)
	check no-tracefs/doctor $? 0 status
	check no-tracefs/doctor "$(echo "$doctor" | jq -r .tracefs_problem)" "$REFUSED" problem
	check no-tracefs/doctor "$(echo "$doctor" | jq -r '.plan[] | select(.point == "remap.call").note')" \
		"sys_enter_ioctl is a tracefs event, and $REFUSED" remap-call
	out=$(as_nobody_in "$NO_TRACEFS" ,+bpf,+perfmon "$DAXTRACE" top --json -- true)
	check no-tracefs/top $? 0 status
	check no-tracefs/top "$(echo "$out" | jq -r .attach.fault)" tp_btf attach
	err=$(as_nobody_in "$NO_TRACEFS" ,+bpf,+perfmon "$DAXTRACE" top --attach=classic \
		-n 1 2>&1)
	check no-tracefs/classic $? 1 status
	check no-tracefs/classic "$err" \
		"daxtrace top: --attach=classic: classic tracepoints live in tracefs, and $REFUSED" message
}

# tracefs mounted as systemd does (0700 root): nobody's doctor names tracefs, not the event;
# CAP_DAC_READ_SEARCH is what classic tracepoints need beyond CAP_BPF and CAP_PERFMON.
test_unreadable_tracefs() {
	doctor=$(as_nobody_in "$ROOT_ONLY_TRACEFS" "" "$DAXTRACE" doctor --json)
	check unreadable-tracefs/doctor "$(echo "$doctor" | jq -r .tracefs_problem)" "$UNREADABLE" \
		problem
	check unreadable-tracefs/doctor \
		"$(echo "$doctor" | jq -r '.plan[] | select(.point == "remap.call").note')" \
		"sys_enter_ioctl is a tracefs event, and $UNREADABLE" remap-call
	text=$(as_nobody_in "$ROOT_ONLY_TRACEFS" "" "$DAXTRACE" doctor | grep '^tracefs')
	check unreadable-tracefs/doctor "$text" "tracefs     $UNREADABLE" text
	f=$mnt/classic-nobody
	"$WORKLOAD" create "$f" 16m > /dev/null
	chmod 666 "$f"
	drop_caches
	out=$(as_nobody_in "$ROOT_ONLY_TRACEFS" ,+bpf,+perfmon,+dac_read_search \
		"$DAXTRACE" top --json --attach=classic -- "$WORKLOAD" mwrite "$f" $N --stride 1m |
		grep '^{"time"')
	check unreadable-tracefs/classic "$(echo "$out" | jq .total.mkwrite)" $N dac-read-search
}

# A read-only / changes nothing: daxtrace writes nowhere but the kernel.
test_read_only_root() {
	f=$mnt/read-only-root
	"$WORKLOAD" create "$f" 16m > /dev/null
	drop_caches
	out=$(unshare -m sh -c 'mount -o remount,bind,ro / && exec "$@"' sh "$DAXTRACE" top --json \
		--attach=classic -- "$WORKLOAD" mwrite "$f" $N --stride 1m | grep '^{"time"')
	check read-only-root "$(echo "$out" | jq .total.mkwrite)" $N classic
}

test_least_privilege
test_other_users_pid
test_missing_capability
test_no_tracefs
test_unreadable_tracefs
test_read_only_root
# the end: tests/e2e/host/run.sh fails a suite that stops before it
exit 0
