#!/bin/sh
# Runs INSIDE a guest booted with tools/vm/run.sh --pmem-provider PROVIDER (nvdimm, memmap or
# virtio; guest.sh exports it as DAX_PROVIDER): what `daxtrace doctor` says of /dev/pmem0, and
# whether a MAP_SYNC mapping of a DAX file is taken. The pmem is run.sh's default 1 GiB. The
# arguments (attach families, as suites.sh gives every suite) do not matter: doctor loads
# nothing, and the mmap is no daxtrace run.
set -u
. "$(dirname "$0")/lib.sh"
provider=${DAX_PROVIDER:-nvdimm}
GIB=1073741824

# The provider's bus, how much of the 1 GiB the disk gets, and MAP_SYNC:
# - nvdimm (ACPI.NFIT): guest.sh's fsdax namespace with a pfn claim aligned 2 MiB; the claim's
#   info block and the 2 MiB alignment padding take 2 MiB off the disk (measured on 6.1,
#   6.12 and 7.2: 1071644672 bytes, as ndctl says); synchronous.
# - memmap (e820) and virtio (virtio-pmem): the region's one raw namespace with struct pages,
#   used as it is (tools/vm/guest.sh): no claim, no align, the whole 1 GiB. virtio-pmem regions
#   are asynchronous (ND_REGION_ASYNC): MAP_SYNC is refused with EOPNOTSUPP.
case $provider in
nvdimm) bus=ACPI.NFIT size=$((GIB - 2097152)) align=2097152 sync=true ;;
memmap) bus=e820 size=$GIB align=0 sync=true ;;
virtio) bus=virtio-pmem size=$GIB align=0 sync=false ;;
*) fail provider "unknown pmem provider '$provider'"; exit 0 ;;
esac

out=$("$DAXTRACE" doctor --json)
check "doctor-pmem" "$out" '[.pmem_devices[] | select(.device == "pmem0")]' \
	"[{\"device\":\"pmem0\",\"path\":\"/dev/pmem0\",\"provider\":\"$bus\",\"region\":\"region0\",\"mode\":\"fsdax\",\"align\":$align,\"size\":$size,\"map_sync\":$sync,\"dax_mounts\":[\"$DAX_MNT\"]}]"
text=$("$DAXTRACE" doctor | grep -c '^map_sync    refused on pmem0 ')
[ "$sync" = true ] && want=0 || want=1
verdict "doctor-map-sync-line" "$text" "lines 'map_sync refused on pmem0'" "$want"

# A MAP_SHARED_VALIDATE|MAP_SYNC mapping of a DAX file: taken on a synchronous region; on an
# asynchronous one xfs_file_mmap's daxdev_mapping_supported() refuses it (EOPNOTSUPP).
f=$DAX_MNT/map-sync-$provider
"$WORKLOAD" create "$f" 4k > /dev/null
got=$(xfs_io -c "mmap -S -rw 0 4k" "$f" 2>&1)
[ "$sync" = true ] && want="" || want="mmap: Operation not supported"
verdict "map-sync-mmap" "$got" "xfs_io -c 'mmap -S -rw 0 4k'" "$want"
rm -f "$f"

# Device DAX (NVDIMM only: the namespace the other providers give is used as it is): the
# namespace made devdax, struct pages in RAM (--map=mem) as guest.sh's fsdax, so the same 2 MiB
# go to the claim; doctor's row is the character device's, without mounts. Then guest.sh's
# fsdax namespace and XFS again, for the suites after this one.
[ "$provider" = nvdimm ] || exit 0
umount "$DAX_MNT"
for align in 2097152 4096; do
	if ndctl create-namespace -f -e namespace0.0 -m devdax --map=mem --align "$align" > /dev/null; then
		check "doctor-devdax-$align" "$("$DAXTRACE" doctor --json)" .pmem_devices \
			"[{\"device\":\"dax0.0\",\"path\":\"/dev/dax0.0\",\"provider\":\"$bus\",\"region\":\"region0\",\"mode\":\"devdax\",\"align\":$align,\"size\":$size,\"map_sync\":true,\"dax_mounts\":[]}]"
	else
		fail "doctor-devdax-$align" "ndctl could not make namespace0.0 devdax (align $align)"
	fi
done
if ! ndctl create-namespace -f -e namespace0.0 -m fsdax --map=mem > /dev/null || ! remake_dax_fs xfs; then
	fail restore-fsdax "cannot make namespace0.0 fsdax with XFS on it again"
fi
exit 0
