#!/bin/sh
# Runs INSIDE a guest of tools/vm/run.sh (tools/designs/run.sh boots it): each design workload
# under `daxtrace share --model --json --record`, and the memory-failure drill under
# `daxtrace mapuse --json` too, on XFS with rmapbt=1 and rmapbt=0. Per run NAME, in $DT_OUT:
# NAME.out (stdout: share's JSON report, and the workload's own JSON lines for the drill),
# NAME.err, NAME.dts (the stream), NAME.meta (command line, exit status, wall seconds, stream
# bytes). WORKLOADS (default all four) chooses; the workloads' parameters come in the
# environment (env VAR=x on run.sh's command line).
set -u
here=$(dirname "$0")
BUILD=${BUILD:-build}
DAXTRACE=$BUILD/daxtrace
MAX_PFNS=${MAX_PFNS:-1048576}
# --record's ring buffer: a backup reading a 256 MiB snapshot makes ~200k records (association,
# check, cost) within a second, more than the default 8 MiB holds between two reads (the
# 6.12 db-snapshot lost 187486 at the default, which its replay reported)
BUFFER_KB=${BUFFER_KB:-65536}
WORKLOADS=${WORKLOADS:-vm-farm-scale db-snapshot container-layers memory-failure}
out=${DT_OUT:?run with tools/vm/run.sh --out DIR}
export BUILD
kernel=$(uname -r)

# run NAME CMD...: CMD under `daxtrace share`, timed, with what made it.
run() {
	name=$1
	shift
	set -- "$DAXTRACE" share --model --json --max-pfns "$MAX_PFNS" --buffer-kb "$BUFFER_KB" \
		--record "$out/$name.dts" -- "$@"
	measure "$name" "$@"
}

# measure NAME CMD...: CMD's output in NAME.out/.err, its line, status and wall time in .meta.
measure() {
	name=$1
	shift
	echo "$kernel $name: $*" >&2
	start=$(date +%s.%N)
	"$@" > "$out/$name.out" 2> "$out/$name.err"
	status=$?
	end=$(date +%s.%N)
	{
		echo "command: $*"
		echo "exit: $status"
		echo "wall_s: $(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.1f", b - a }')"
		[ ! -e "$out/$name.dts" ] || echo "stream_bytes: $(stat -c %s "$out/$name.dts")"
	} > "$out/$name.meta"
	grep -h '^wall_s' "$out/$name.meta" >&2
}

# The workloads' parameters, as the guest saw them, for the captures' command lines.
env | grep -E '^(GOLDEN|CLONES|BOOT_FRACTION|PATCH|PATCH_STRIDE|HUGE|SIZE|SNAPSHOTS|INTERVAL|WRITES|SEED|FILES|FILE_SIZE|LAYERS|REWRITE_EVERY)=' |
	sort > "$out/params" || true
echo "$kernel" > "$out/kernel"
for w in $WORKLOADS; do
	case $w in
	memory-failure) continue ;; # last: it remakes the file system
	*) run "$w" "$here/$w.sh" ;;
	esac
	rm -rf "${DAX_MNT:?}/$w"
done
case " $WORKLOADS " in *" memory-failure "*) ;; *) exit 0 ;; esac
. tests/e2e/vm/lib.sh
for rmapbt in 1 0; do
	remake_dax_fs xfs -m rmapbt=$rmapbt || {
		echo "cannot make XFS with rmapbt=$rmapbt on $DAX_DEV" >&2
		exit 1
	}
	skip=
	case $kernel in 6.12.*)
		[ $rmapbt = 1 ] ||
			skip="6.12 oopses in dax_lock_folio on a shared page without rmapbt (docs/findings.md)"
		;;
	esac
	run "memory-failure-rmapbt$rmapbt" env TAG=share SKIP_SHARED="$skip" "$here/memory-failure.sh"
	measure "memory-failure-rmapbt$rmapbt-mapuse" "$DAXTRACE" mapuse --json -- \
		env TAG=mapuse SKIP_SHARED="$skip" "$here/memory-failure.sh"
done
remake_dax_fs xfs
exit 0
