#!/bin/sh
# Runs INSIDE a guest booted with tools/vm/run.sh --pmem-provider PROVIDER (nvdimm, memmap or
# virtio), PROVIDER as the first argument: what `daxtrace doctor` says of /dev/pmem0, and
# whether a MAP_SYNC mapping of a DAX file is taken. The pmem is run.sh's default 1 GiB.
set -u
. "$(dirname "$0")/lib.sh"
provider=${1:?usage: provider-suite.sh nvdimm|memmap|virtio}
GIB=1073741824

# The provider's bus, how much of the 1 GiB the disk gets, and MAP_SYNC:
# - nvdimm (ACPI.NFIT): guest.sh's fsdax namespace with a pfn claim aligned 2 MiB; the claim's
#   info block and the 2 MiB alignment padding take 2 MiB off the disk (measured on 6.1, 6.12
#   and 7.2: 1071644672 bytes); synchronous.
# - memmap (e820) and virtio (virtio-pmem): the region's one raw namespace with struct pages,
#   used as it is (tools/vm/guest.sh): no claim, no align, the whole 1 GiB. virtio-pmem regions
#   are asynchronous (ND_REGION_ASYNC): MAP_SYNC is refused with EOPNOTSUPP.
case $provider in
nvdimm) bus=ACPI.NFIT size=$((GIB - 2097152)) align=2097152 sync=true ;;
memmap) bus=e820 size=$GIB align=0 sync=true ;;
virtio) bus=virtio-pmem size=$GIB align=0 sync=false ;;
*) echo "provider-suite.sh: unknown provider '$provider'" >&2; exit 2 ;;
esac

out=$("$DAXTRACE" doctor --json)
check "$provider/doctor-pmem" "$out" '[.pmem_devices[] | select(.device == "pmem0")]' \
	"[{\"device\":\"pmem0\",\"path\":\"/dev/pmem0\",\"provider\":\"$bus\",\"region\":\"region0\",\"mode\":\"fsdax\",\"align\":$align,\"size\":$size,\"map_sync\":$sync,\"dax_mounts\":[\"$DAX_MNT\"]}]"
text=$("$DAXTRACE" doctor | grep -c '^map_sync    refused on pmem0 ')
[ "$sync" = true ] && want=0 || want=1
verdict "$provider/doctor-map-sync-line" "$text" "lines 'map_sync refused on pmem0'" "$want"

# A MAP_SHARED_VALIDATE|MAP_SYNC mapping of a DAX file: taken on a synchronous region; on an
# asynchronous one xfs_file_mmap's daxdev_mapping_supported() refuses it (EOPNOTSUPP).
f=$DAX_MNT/map-sync-$provider
"$WORKLOAD" create "$f" 4k > /dev/null
got=$(xfs_io -c "mmap -S -rw 0 4k" "$f" 2>&1)
[ "$sync" = true ] && want="" || want="mmap: Operation not supported"
verdict "$provider/map-sync-mmap" "$got" "xfs_io -c 'mmap -S -rw 0 4k'" "$want"
rm -f "$f"
exit 0
