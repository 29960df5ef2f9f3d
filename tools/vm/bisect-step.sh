#!/bin/sh
# One step of `git bisect run` in a kernel tree: build it with daxtrace's kernel.config merged,
# then compare a workload's record on it against a reference kernel (tools/vm/compare.sh).
#
#   cd ~/linux && git bisect start BAD GOOD
#   git bisect run /path/to/daxtrace/tools/vm/bisect-step.sh [--base KERNEL] [COMPARE OPTIONS] \
#       [-- WORKLOAD...]
#
# --base KERNEL (default sid) and every other argument go to compare.sh as they are (--repeat N,
# --diff-opt ARG, --run-opt ARG, -- WORKLOAD; compare.sh's default workload is vm-farm). The
# workload runs from the daxtrace tree, so build/daxtrace-workload and tools/... paths work.
# JOBS (default: the CPUs) is make's -j; BUILD is daxtrace's build directory (default its build/).
#
# Exit status, as git bisect run reads it: 0 good (diff found nothing), 1 bad (diff: a
# regression), 125 skip (the kernel did not build, or compare.sh could not compare: no boot, a
# probe point attached on one side only, ...), 128 abort (diff's 2: a usage error or an
# unreadable record, which no other commit will cure).
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
tree=$(pwd)
base=sid
if [ "${1:-}" = --base ]; then
	[ $# -ge 2 ] || { echo "bisect-step.sh: --base needs a KERNEL" >&2; exit 128; }
	base=$2
	shift 2
fi
if [ ! -f "$tree/Makefile" ] || [ ! -d "$tree/scripts/kconfig" ]; then
	echo "bisect-step.sh: run it from the top of a kernel tree" >&2
	exit 128
fi
[ -f "$tree/.config" ] ||
	{ echo "bisect-step.sh: $tree has no .config (make defconfig, or copy one)" >&2; exit 128; }

echo "bisect-step.sh: building $(git -C "$tree" describe --always 2> /dev/null)" >&2
if ! { scripts/kconfig/merge_config.sh -m .config "$top/tools/vm/kernel.config" > /dev/null &&
	make olddefconfig > /dev/null &&
	make -j"${JOBS:-$(nproc)}" bzImage modules > build.log 2>&1; }; then
	echo "bisect-step.sh: the kernel did not build (tail of $tree/build.log):" >&2
	tail -n 5 build.log >&2
	exit 125
fi

cd "$top" || exit 128
BUILD=${BUILD:-$top/build} tools/vm/compare.sh --base "$base" --new "tree:$tree" "$@"
status=$?
case $status in
0 | 1 | 125) exit $status ;;
2) exit 128 ;;
*) exit 125 ;;
esac
