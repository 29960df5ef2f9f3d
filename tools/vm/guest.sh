#!/bin/bash
# PID 1 of a daxtrace guest, started by tools/vm/init after switch_root: it and everything it
# runs are the host's files, seen read-only over 9p under a tmpfs overlay, with the guest's
# kernel file systems already mounted. Makes /dev/pmem0 an fsdax namespace with a DAX-mounted
# file system on /mnt/dax, then runs the job that run.sh wrote to JOB/job.sh (dtjob=JOB on the
# kernel command line). The command's stdout, stderr and exit status go to JOB/out, a writable
# 9p share.
set -eu
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8
# PID 1 must not exit (the kernel would panic): every way out powers the guest off.
trap 'sync; echo o >/proc/sysrq-trigger; sleep 10 2>/dev/null' EXIT

say() {
	local up _
	read -r up _ </proc/uptime
	echo "daxtrace-guest: [$up] $*"
}
job=${dtjob:?} # from the kernel command line, through init's environment
unset dtinit dtjob
# shellcheck source=/dev/null # written by run.sh: FS MKFS_OPTS PROVIDER MODROOT RELEASE OUT WORKDIR CONFIG INTERACTIVE CMD
. "$job/job.sh"

# The guest kernel's modules, so that modprobe works for anything not in the initramfs.
if [ -d "$MODROOT/lib/modules/$RELEASE" ]; then
	mkdir -p "/lib/modules/$RELEASE"
	mount --bind "$MODROOT/lib/modules/$RELEASE" "/lib/modules/$RELEASE"
fi
# --out DIR: a writable share at the host's path of DIR (over the read-only host root)
if [ -n "$OUT" ]; then
	mount -t 9p -o trans=virtio,version=9p2000.L,msize=512000 dtout "$OUT"
	export DT_OUT=$OUT
fi

# The provider's driver (the NVDIMM's, nfit, is in the initramfs): it registers an nd bus whose
# one region holds a raw (label-less, "io") namespace0.0, which ndctl turns fsdax like the
# NVDIMM's. The e820 driver is nd_e820 (CONFIG_X86_PMEM_LEGACY), virtio-pmem's virtio_pmem.
case ${PROVIDER:-nvdimm} in
memmap) modprobe nd_e820 ;;
virtio) modprobe virtio_pmem ;;
esac
for _ in $(seq 50); do
	[ ! -e /sys/bus/nd/devices/namespace0.0 ] || break
	sleep 0.1
done
if [ "${PROVIDER:-nvdimm}" = nvdimm ]; then
	say "NVDIMM: fsdax namespace, $FS on /mnt/dax"
	ndctl create-namespace -f -e namespace0.0 -m fsdax --map=mem >/dev/null
else
	# e820 and virtio-pmem regions are ND_REGION_PAGEMAP: their raw namespace already has
	# struct pages, so DAX works on it as it is (sysfs mode "memory", ndctl "fsdax") and
	# ndctl makes no pfn claim on it (it tried, reattaching the disk three times, and left it
	# so). Used as it is.
	mode=$(cat /sys/bus/nd/devices/namespace0.0/mode 2>/dev/null || echo none)
	[ "$mode" = memory ] || {
		say "$PROVIDER: namespace0.0 has mode '$mode', not memory: no DAX on it"
		exit 1
	}
	say "$PROVIDER pmem: raw namespace with struct pages (fsdax), $FS on /mnt/dax"
fi
mkdir -p /mnt/dax
case $FS in
xfs)
	# XFS refuses DAX with reflink before 5.19 ("DAX and reflink cannot be used together")
	reflink=1
	IFS=.- read -r major minor _ <<<"$RELEASE"
	case $major.$minor in *[!0-9.]* | .* | *.) major=99 ;; esac # not a version: assume new
	if [ "$major" -lt 5 ] || { [ "$major" = 5 ] && [ "$minor" -lt 19 ]; }; then
		reflink=0
		say "$RELEASE < 5.19: XFS without reflink (no DAX with reflink before 5.19)"
	fi
	# shellcheck disable=SC2086 # MKFS_OPTS is a list of options
	mkfs.xfs -q -f -m reflink=$reflink -d su=2m,sw=1 $MKFS_OPTS /dev/pmem0
	mount -o dax=always /dev/pmem0 /mnt/dax
	# New files inherit 2 MiB extents, so that PMD faults can succeed.
	xfs_io -c "extsize 2m" /mnt/dax
	;;
ext4)
	# shellcheck disable=SC2086 # MKFS_OPTS is a list of options
	mkfs.ext4 -q -F $MKFS_OPTS /dev/pmem0
	mount -o dax /dev/pmem0 /mnt/dax
	;;
esac

# The kernel's config where Debian keeps it, for what reads it (daxtrace record's fingerprint,
# the preemption model's fallback): the guest's /boot is the host's, under the overlay.
if [ -n "${CONFIG:-}" ] && [ -f "$CONFIG" ]; then
	mkdir -p /boot && cp "$CONFIG" "/boot/config-$RELEASE"
fi

export DAX_MNT=/mnt/dax DAX_DEV=/dev/pmem0 DAX_PROVIDER=${PROVIDER:-nvdimm}
cd "$WORKDIR"
if [ "$INTERACTIVE" = 1 ]; then
	say "interactive shell; exit it to power off"
	# --norc: the host's ~/.bashrc can take many seconds under TCG. -c: ttyS0 as controlling
	# terminal, so that Ctrl-C and job control work.
	PS1="[guest $RELEASE] \w# " setsid -w -c bash --norc -i <>/dev/ttyS0 >&0 2>&0 || true
else
	say "running: ${CMD[*]}"
	rc=0
	"${CMD[@]}" </dev/null >"$job/out/stdout" 2>"$job/out/stderr" || rc=$?
	echo "$rc" >"$job/out/status"
	say "exit status $rc"
fi
