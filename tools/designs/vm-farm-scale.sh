#!/bin/sh
# A VM-image farm at scale: one golden image written through a mapping, CLONES reflinked copies
# (FICLONE), all "booted" -- mapped, and BOOT_FRACTION of its pages read, as QEMU's
# memory-backend-file maps a virtio-pmem/NVDIMM image and the guest touches it -- and then,
# once all run, "patched": PATCH pages written at PATCH_STRIDE, the same offsets in every clone
# (one update applied to every VM). Run it under `daxtrace share --model` (tools/designs/run.sh does).
#
# Parameters (environment):
#   DIR            where the files go (default $DAX_MNT, else /mnt/dax): XFS, reflink, with
#                  guest.sh's 2 MiB extent size hint so that every 2 MiB is aligned on pmem
#   GOLDEN         golden image size (default 1g; a multiple of 2m)
#   CLONES         clones (default 8)
#   BOOT_FRACTION  fraction of each clone's pages read at boot (default 1: all; e.g. 0.5)
#   PATCH          pages written in each clone (default 16)
#   PATCH_STRIDE   bytes between them (default GOLDEN / PATCH; at least 2m with HUGE=1, so
#                  that each patch lands in its own 2 MiB unit)
#   HUGE           1 (default): every mapping madvised MADV_HUGEPAGE, dt-workload --huge: each
#                  2 MiB of the image is one PMD fault and one census unit; 0: --nohuge, 4 KiB
#
# What the census should show, with G = GOLDEN / unit (unit = 2 MiB with HUGE=1, 4 KiB with 0),
# B = the units the boot reads (BOOT_FRACTION of G, whole units) and P = PATCH (each patch
# in a unit the boot read):
#   6.1, 6.12: the golden image keeps its G entries through FICLONE; each boot adds one owner
#     to B units, each patch breaks one: B - P units with 1 + CLONES owners, P units with 1
#     (the golden image's: every clone left them), G - B units with 1, and CLONES * P new units
#     with 1 owner. breaks = CLONES * P. shared_pfns = B - P, shared_pfns_peak = B.
#     owners histogram {"1": G - B + P + CLONES*P, "1+CLONES": B - P}.
#   7.2: FICLONE drops the golden image's entries (the layout break, docs/kernel-internals.md):
#     its G units leave the census, and the clones alone own what they read: B - P units with
#     CLONES owners, CLONES * P new 1-owner units; the P units every clone patched leave the
#     census with the last clone, whose write is then no break (nobody else owns them):
#     breaks = (CLONES - 1) * P, shared_pfns = B - P, shared_pfns_peak = B.
#     {"1": CLONES*P, "CLONES": B - P}.
#   Defaults (HUGE=1): G = B = 512, P = 16: 6.1/6.12 {"1": 144, "9": 496}, breaks 128;
#   7.2 {"1": 128, "8": 496}, breaks 112. The census names 7 owners per unit and counts
#   the others (unlisted_owners: 2 * B - 2 * P on 6.x, B - P on 7.2); docs/designs/README.md
#   has the measured numbers.
#   6.1 never marks a read-shared page shared: every association of a clone's boot is an
#   anomaly there (docs/designs.md, "Anomalies").
. "$(dirname "$0")/lib.sh"

GOLDEN=${GOLDEN:-1g}
CLONES=${CLONES:-8}
BOOT_FRACTION=${BOOT_FRACTION:-1}
PATCH=${PATCH:-16}
HUGE=${HUGE:-1}
size=$(bytes "$GOLDEN")
pages=$((size / 4096))
PATCH_STRIDE=${PATCH_STRIDE:-$((size / PATCH))}
huge=--nohuge unit=4096
if [ "$HUGE" = 1 ]; then
	huge=--huge unit=2097152
fi
# The boot reads whole units: BOOT_FRACTION of them, from the image's start.
boot_units=$(awk -v g=$((size / unit)) -v f="$BOOT_FRACTION" 'BEGIN { print int(g * f) }')
boot_pages=$((boot_units * unit / 4096))

d=$DIR/vm-farm-scale
rm -rf "$d"
mkdir -p "$d"
say "golden image $GOLDEN ($pages pages) written through a mapping ($huge)"
"$WORKLOAD" create "$d/golden.img" "$GOLDEN" > /dev/null
"$WORKLOAD" mwrite "$d/golden.img" "$pages" $huge > /dev/null
i=1
while [ $i -le "$CLONES" ]; do
	"$WORKLOAD" clone "$d/golden.img" "$d/vm$i.img" > /dev/null
	i=$((i + 1))
done
say "$CLONES clones booted ($boot_pages pages read each), then patched ($PATCH pages each)"
i=1
while [ $i -le "$CLONES" ] && [ "$boot_pages" -gt 0 ]; do
	"$WORKLOAD" mread "$d/vm$i.img" "$boot_pages" $huge > /dev/null
	i=$((i + 1))
done
i=1
while [ $i -le "$CLONES" ]; do
	"$WORKLOAD" mwrite "$d/vm$i.img" "$PATCH" --stride "$PATCH_STRIDE" $huge > /dev/null
	i=$((i + 1))
done
