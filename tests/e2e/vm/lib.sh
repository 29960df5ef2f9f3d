# shellcheck shell=sh # sourced by the *-suite.sh scripts, all #!/bin/sh
# Helpers of the guest suites (sourced): where the binaries are, and one result line per check,
# prefixed with the guest's kernel release, for tests/e2e/vm/run.sh.
BUILD=${BUILD:-build}
DAXTRACE=$BUILD/daxtrace
# shellcheck disable=SC2034 # used by the suites that source this file
WORKLOAD=$BUILD/tools/dt-workload
kernel=$(uname -r)

# daxtrace top's report for the attach family under test ($family); the workload prints JSON too.
# shellcheck disable=SC2154 # family: set by the suite's loop over the attach families
top_json() {
	"$DAXTRACE" top --json --attach="$family" "$@" | grep '^{"time"'
}

# The kind the plan of $family chose for a probe point: what a point's readers can see depends
# on it (classic tracepoints carry dev and ino, not the dentry), and auto's choice on the
# preemption model (engine/preempt_model.h).
point_kind() {
	"$DAXTRACE" doctor --json --attach="$family" | jq -r ".plan[] | select(.point == \"$1\") | .kind"
}

# A guest of another pmem provider than the NVDIMM (run.sh --pmem-provider, guest.sh's
# DAX_PROVIDER) names its checks vm/RELEASE/PROVIDER/..., apart from the NVDIMM guest's.
where=$kernel
[ "${DAX_PROVIDER:-nvdimm}" = nvdimm ] || where=$kernel/$DAX_PROVIDER
pass() { echo "PASS vm/$where/$1"; }
fail() { echo "FAIL vm/$where/$1: $2"; }
skip() { echo "SKIP vm/$where/$1: $2"; }

# verdict NAME GOT FILTER EXPECTED: PASS when GOT (the FILTER's output) is EXPECTED.
verdict() {
	if [ "$2" = "$4" ]; then
		pass "$1"
	else
		fail "$1" "$3: expected $4, got '$2'"
	fi
}

# check NAME JSON FILTER EXPECTED: the jq FILTER of JSON, compact, must be EXPECTED.
check() {
	verdict "$1" "$(echo "$2" | jq -c "$3")" "$3" "$4"
}

# check_all NAME LINES FILTER EXPECTED: the same over all JSON lines at once (jq --slurp).
check_all() {
	verdict "$1" "$(echo "$2" | jq -cs "$3")" "$3" "$4"
}

# remake_dax_fs xfs|ext4 [MKFS_OPTION...]: a fresh file system of that type on $DAX_DEV, DAX-mounted
# on $DAX_MNT, made as tools/vm/guest.sh makes it (XFS: reflink, 2 MiB stripe unit and extent
# size hint, so that PMD faults can succeed). A suite that needs another file system than the
# boot's calls it, and `remake_dax_fs xfs` at its end gives the next suites guest.sh's XFS back.
remake_dax_fs() {
	fs=$1
	shift
	umount "$DAX_MNT" 2> /dev/null
	case $fs in
	xfs)
		mkfs.xfs -q -f -m reflink=1 -d su=2m,sw=1 "$@" "$DAX_DEV" &&
			mount -o dax=always "$DAX_DEV" "$DAX_MNT" && xfs_io -c "extsize 2m" "$DAX_MNT"
		;;
	ext4) mkfs.ext4 -q -F "$@" "$DAX_DEV" && mount -o dax "$DAX_DEV" "$DAX_MNT" ;;
	*) return 2 ;;
	esac
}
