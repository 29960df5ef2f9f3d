#!/bin/bash
# Usage: run.sh [--kernel SUITE] [--pmem SIZE] [--fs xfs|ext4] [--mkfs-opts "..."]
#               [--timeout SEC] [--interactive] [--keep-log FILE] [-- COMMAND [ARG...]]
#
# Boots a Debian kernel (SUITE: bookworm, trixie or sid; default sid) under QEMU TCG with an
# emulated NVDIMM of SIZE (default 1G) as /dev/pmem0, DAX-mounted on /mnt/dax (default xfs),
# and runs COMMAND there as root, in the current directory: the guest sees the host's root
# read-only under a tmpfs overlay, so the host's binaries and this tree are at the same paths
# and the guest's writes are thrown away. DAX_MNT and DAX_DEV are exported.
# COMMAND's stdout and stderr come back as run.sh's (kept apart, streamed as they are written),
# and its exit status is run.sh's. Run several commands in one boot with a script or sh -c.
# run.sh's own failures: 124 = timeout (default 300 s), 125 = the guest could not be booted or
# set up or stopped before COMMAND ended; the console log is kept and its path printed.
# --interactive gives a root shell on the console instead of COMMAND (leaving it powers off;
# Ctrl-A X quits QEMU).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
cache=${DAXTRACE_CACHE:-$HOME/.cache/daxtrace}
suite=sid pmem=1G fs=xfs mkfs_opts="" timeout=300 interactive=0 keep_log=""

die() {
	echo "run.sh: $*" >&2
	exit 125
}
while [ $# -gt 0 ]; do
	case $1 in --kernel | --pmem | --fs | --mkfs-opts | --timeout | --keep-log)
		[ $# -ge 2 ] || die "$1 needs a value" ;;
	esac
	case $1 in
	--kernel) suite=$2; shift 2 ;;
	--pmem) pmem=$2; shift 2 ;;
	--fs) fs=$2; shift 2 ;;
	--mkfs-opts) mkfs_opts=$2; shift 2 ;;
	--timeout) timeout=$2; shift 2 ;;
	--interactive) interactive=1; shift ;;
	--keep-log) keep_log=$2; shift 2 ;;
	--) shift; break ;;
	*) die "unknown option '$1' (see the usage at the top of $0)" ;;
	esac
done
case $fs in xfs | ext4) ;; *) die "--fs must be xfs or ext4" ;; esac
[ $# -gt 0 ] || [ "$interactive" = 1 ] || die "no COMMAND given (run.sh [OPTIONS] -- COMMAND [ARG...])"
bytes=$(numfmt --from=iec "$pmem") || die "bad --pmem size '$pmem'"
pmem_mib=$((bytes / 1048576))

kdir=$("$here/fetch-kernel.sh" "$suite" | tail -n 1) || die "no $suite kernel"
initrd=$kdir/initrd.cpio.gz
if [ ! -e "$initrd" ] || [ "$here/mkinitrd.sh" -nt "$initrd" ] || [ "$here/init" -nt "$initrd" ]; then
	"$here/mkinitrd.sh" "$kdir" "$initrd" || die "mkinitrd.sh failed"
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/dtvm.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/out"
: >"$tmp/out/stdout"
: >"$tmp/out/stderr"
truncate -s "${pmem_mib}M" "$tmp/pmem.img"
# The job, read by guest.sh through the read-only host root.
{
	printf 'FS=%q MKFS_OPTS=%q INTERACTIVE=%q\n' "$fs" "$mkfs_opts" "$interactive"
	printf 'KDIR=%q RELEASE=%q WORKDIR=%q\n' "$kdir" "$(cat "$kdir/release")" "$PWD"
	printf 'CMD=('
	printf '%q ' "$@"
	printf ')\n'
} >"$tmp/job.sh"

# +rdrand seeds the guest's RNG at boot: without it ndctl waits seconds for entropy under TCG.
# thread=single runs both vCPUs in one host thread: with multi-threaded TCG, kernel text patching
# (text_poke_bp: static keys, kprobes, fentry trampolines) raced with the other vCPU executing
# the patched code. Seen as a 7.2 boot oops (int3 in sched_clock_cpu) and as a 6.1 call to
# address 0 from lru_add_fn (folio_mapping being patched at attach), neither daxtrace's code.
# shellcheck disable=SC2054 # QEMU options are comma-separated lists
qemu=(qemu-system-x86_64 -accel tcg,thread=single -cpu qemu64,+rdrand -smp 2 -no-reboot
	-machine pc,nvdimm=on -m "2G,slots=2,maxmem=$((2048 + pmem_mib))M"
	-object "memory-backend-file,id=mem1,share=on,mem-path=$tmp/pmem.img,size=${pmem_mib}M"
	-device nvdimm,id=nv1,memdev=mem1
	-fsdev local,id=hostroot,path=/,security_model=passthrough,readonly=on,multidevs=remap
	-device virtio-9p-pci,fsdev=hostroot,mount_tag=hostroot
	-fsdev "local,id=job,path=$tmp/out,security_model=none"
	-device virtio-9p-pci,fsdev=job,mount_tag=job
	-kernel "$kdir/vmlinuz" -initrd "$initrd"
	-append "console=ttyS0 panic=-1 quiet dtinit=$here/guest.sh dtjob=$tmp")

if [ "$interactive" = 1 ]; then
	"${qemu[@]}" -nographic
	exit
fi

log=$tmp/console.log
timeout -k 10 "$timeout" "${qemu[@]}" -display none -monitor none -serial "file:$log" </dev/null &
vm=$!
# Ctrl-C or kill: stop the guest too (background jobs ignore SIGINT).
trap 'kill "$vm" 2>/dev/null' INT TERM
tail -q -n +1 -f --pid="$vm" "$tmp/out/stdout" &
tail -q -n +1 -f --pid="$vm" "$tmp/out/stderr" >&2 &
rc=0
wait "$vm" || rc=$?
wait

[ -z "$keep_log" ] || cp "$log" "$keep_log"
status=$(cat "$tmp/out/status" 2>/dev/null || true)
case $status in
[0-9]*) exit "$status" ;;
esac
if [ -z "$keep_log" ]; then
	keep_log=$cache/logs/$suite-$(date +%Y%m%d-%H%M%S)-$$.log
	mkdir -p "$cache/logs"
	cp "$log" "$keep_log"
fi
tail -n 30 "$log" | sed 's/^/console: /' >&2
if [ "$rc" = 124 ]; then
	echo "run.sh: timed out after $timeout s; console log: $keep_log" >&2
	exit 124
fi
echo "run.sh: the guest stopped without an exit status; console log: $keep_log" >&2
exit 125
