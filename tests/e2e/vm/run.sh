#!/bin/sh
# The DAX end-to-end suites: boots each Debian kernel with an emulated NVDIMM (tools/vm/run.sh)
# and runs suites.sh inside (top, share, writeback/lat/snoop/cow, mapuse) for the attach
# families; sid's kernel is handed over by path (--kernel-image, --modules). Bullseye (5.10)
# only gets a short boot check: fsdax namespace and DAX mount. A kernel that cannot be fetched
# or booted is a failure, never a skip: DAX is only ever proven here. `make check VM=0` opts out.
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../../.." && pwd)
KERNELS=${KERNELS-bookworm trixie sid}
FAMILIES=${FAMILIES:-auto fentry kprobe classic raw_tp}

# KERNELS that boot as a kernel handed over by path (run.sh --kernel-image BZIMAGE --modules
# DIR, from fetch-kernel.sh's directory) instead of --kernel SUITE: the same suites must pass
# on a kernel given that way.
IMAGE_KERNELS=${IMAGE_KERNELS-sid}
# Short checks of kernels the suites do not support (one boot, a few commands).
SMALL_KERNELS=${SMALL_KERNELS-bullseye}

# One kernel: boots it and prints its result lines. A guest that panics or hangs is a FAIL, with
# its console log kept (tools/vm/run.sh names it). (Multi-threaded TCG once oopsed 7.2 while it
# patched kernel text at boot; the guests run single-threaded since, and no boot has failed.)
run_kernel() {
	suite=$1 log=$(mktemp)
	start=$(date +%s)
	kernel="--kernel $suite" how=""
	case " $IMAGE_KERNELS " in
	*" $suite "*)
		if kdir=$(cd "$top" && tools/vm/fetch-kernel.sh "$suite" 2> "$log" | tail -n 1) &&
			[ -n "$kdir" ]; then
			kernel="--kernel-image $kdir/vmlinuz --modules $kdir"
			how=" (as --kernel-image $kdir/vmlinuz --modules $kdir)"
		fi
		;;
	esac
	# shellcheck disable=SC2086 # FAMILIES and kernel are lists: one argument per word
	(cd "$top" && tools/vm/run.sh $kernel --timeout 1500 -- \
		tests/e2e/vm/suites.sh $FAMILIES) >> "$log" 2>&1
	status=$?
	echo "vm $suite: $(($(date +%s) - start)) s, exit $status$how"
	# an unreachable archive is run on the newest cached kernel: say so where it shows
	grep '^fetch-kernel:' "$log"
	# INFO: what a check wants kept, e.g. the 6.12 oops of docs/findings.md from dmesg
	grep -E '^(PASS|FAIL|SKIP|INFO) ' "$log"
	if [ $status -ne 0 ] || ! grep -q '^PASS ' "$log"; then
		grep -vE '^(PASS|FAIL|SKIP) ' "$log" | tail -n 20 | sed 's/^/  /'
		echo "FAIL vm/$suite/harness: the guest did not run the suite (exit $status)$how"
	fi
	rm -f "$log"
}

# A small kernel: one boot that proves the harness runs it, an fsdax namespace (the kernel's
# sysfs calls that mode "memory", ndctl "fsdax") and a DAX mount on /mnt/dax; daxtrace itself
# is not run.
check_small_kernel() {
	suite=$1 log=$(mktemp)
	start=$(date +%s)
	# shellcheck disable=SC2016 # expanded by the guest's sh
	(cd "$top" && tools/vm/run.sh --kernel "$suite" --timeout 300 -- sh -c '
		echo "release $(uname -r)"
		echo "sysfs-mode $(cat /sys/bus/nd/devices/namespace0.0/mode)"
		echo "ndctl-mode $(ndctl list -n namespace0.0 | jq -r "if type == \"array\" then .[0].mode else .mode end")"
		echo "mount $(grep " /mnt/dax " /proc/mounts)"') > "$log" 2>&1
	status=$?
	took=$(($(date +%s) - start))
	echo "vm $suite: $took s, exit $status"
	grep '^fetch-kernel:' "$log"
	sysfs=$(sed -n 's/^sysfs-mode //p' "$log")
	ndctl=$(sed -n 's/^ndctl-mode //p' "$log")
	mount=$(sed -n 's/^mount //p' "$log")
	release=$(sed -n 's/^release //p' "$log")
	why=""
	[ $status = 0 ] || why="exit $status"
	[ "$sysfs" = memory ] || why="${why:+$why; }namespace0.0/mode is '$sysfs', not memory (fsdax)"
	[ "$ndctl" = fsdax ] || why="${why:+$why; }ndctl says mode '$ndctl', not fsdax"
	case " $mount " in
	*" /mnt/dax "*dax*) ;;
	*) why="${why:+$why; }/mnt/dax is not mounted with dax: '$mount'" ;;
	esac
	if [ -z "$why" ]; then
		echo "PASS vm/$suite/boot-dax: $release, fsdax /dev/pmem0, /mnt/dax mounted with dax ($took s)"
	else
		tail -n 20 "$log" | sed 's/^/  /'
		echo "FAIL vm/$suite/boot-dax: $why"
	fi
	rm -f "$log"
}

# The guests run single-threaded (tools/vm/run.sh: thread=single), so the kernels boot side by
# side, one host core each at most; their results print in KERNELS order. The small kernels
# start once fewer big guests run than there are cores: on 2 cores, when sid is left alone
# (its last 250 s or so), so that they take no time from the others.
results=$(mktemp -d)
for suite in $KERNELS; do
	{
		run_kernel "$suite" > "$results/$suite"
		touch "$results/$suite.done"
	} &
done
cores=$(nproc)
while :; do
	running=0
	for suite in $KERNELS; do
		[ -e "$results/$suite.done" ] || running=$((running + 1))
	done
	[ $running -ge "$cores" ] || break
	sleep 5
done
for suite in $SMALL_KERNELS; do
	check_small_kernel "$suite" > "$results/small-$suite"
done
wait
for suite in $KERNELS; do
	cat "$results/$suite"
done
for suite in $SMALL_KERNELS; do
	cat "$results/small-$suite"
done
rm -rf "$results"
# the end: each kernel's failures are FAIL lines above; tests/run.sh fails any other status
exit 0
