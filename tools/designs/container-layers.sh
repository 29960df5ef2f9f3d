#!/bin/sh
# Container image layers: a base layer of FILES small files of FILE_SIZE written through a
# mapping, cloned into LAYERS layers (cp --reflink=always: a FICLONE per file), every layer
# and the base read (the containers start), then each layer rewrites every REWRITE_EVERY-th
# of its files through a mapping (copy-on-write breaks). Layer L rewrites the files I with
# (I + L) % REWRITE_EVERY = 0, so that different layers change different files. Run it under
# `daxtrace share --model` (tools/designs/run.sh does).
#
# Parameters (environment):
#   DIR            where the files go (default $DAX_MNT, else /mnt/dax), XFS with reflink
#   FILES          files in the base layer (default 2000)
#   FILE_SIZE      each file's size (default 16k: 4 pages)
#   LAYERS         layers cloned from the base (default 4)
#   REWRITE_EVERY  1 / the fraction of its files a layer rewrites (default 4: a quarter)
#
# The layers' directory has no extent size hint (extsize 0): guest.sh's 2 MiB hint would give
# every 16 KiB file a 2 MiB extent. All units are 4 KiB pages.
# What the census should show, with P = FILES * FILE_SIZE / 4 KiB pages, on every kernel (7.2
# drops the base's entries at each FICLONE, but the base is read after the clones, which puts
# them back): the reads give every base page 1 + LAYERS owners; a file that r layers rewrite
# loses r of them, each rewritten page a break and a new 1-owner unit. With REWRITE_EVERY
# dividing LAYERS, r = LAYERS / REWRITE_EVERY for every file:
#   pfns = P + W, W = P * r breaks and new units; owners {"1": W, "1+LAYERS-r": P};
#   shared_pfns = P (with 1 + LAYERS - r >= 2), shared_pfns_peak = P.
#   Defaults: P = 8000, r = 1: pfns 16000, {"1": 8000, "4": 8000}, breaks 8000.
#   6.1 counts every read association of a shared page as an anomaly.
. "$(dirname "$0")/lib.sh"

FILES=${FILES:-2000}
FILE_SIZE=${FILE_SIZE:-16k}
LAYERS=${LAYERS:-4}
REWRITE_EVERY=${REWRITE_EVERY:-4}
fsize=$(bytes "$FILE_SIZE")

d=$DIR/container-layers
rm -rf "$d"
mkdir -p "$d/base"
xfs_io -c "extsize 0" "$d" "$d/base"
say "base layer: $FILES files of $FILE_SIZE written through a mapping"
"$WORKLOAD" mwrite-files "$d/base/f" "$FILES" $((fsize / 4096)) > /dev/null
l=1
while [ $l -le "$LAYERS" ]; do
	cp -r --reflink=always "$d/base" "$d/layer$l"
	l=$((l + 1))
done
# map_files LAYER_DIR FILTER RW: one xfs_io command list mapping each file of LAYER_DIR that
# FILTER (an awk condition on i, the file's number) selects, reading or writing every page.
map_files() {
	awk -v dir="$1" -v n="$FILES" -v len="$fsize" -v rw="$3" "BEGIN {
		for (i = 0; i < n; i++) if ($2) {
			print \"open \" dir \"/f\" i
			print (rw == \"w\" ? \"mmap -w 0 \" len : \"mmap -r 0 \" len)
			print (rw == \"w\" ? \"mwrite -S 0x5a 0 \" len : \"mread 0 \" len)
			print \"munmap\"
			print \"close\"
		}
	}" | xfs_io_script
}
say "all layers read, then each rewrites 1/$REWRITE_EVERY of its files"
map_files "$d/base" 1 r
l=1
while [ $l -le "$LAYERS" ]; do
	map_files "$d/layer$l" 1 r
	l=$((l + 1))
done
l=1
while [ $l -le "$LAYERS" ]; do
	map_files "$d/layer$l" "(i + $l) % $REWRITE_EVERY == 0" w
	l=$((l + 1))
done
