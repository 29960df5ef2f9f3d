#!/bin/sh
# The workload of docs/designs.md "One run, captured": a small VM-image farm on a DAX file
# system. A 2048-page golden image written through a mapping, three clones booted (read in
# full, the golden image too), two of them patched (64 pages 32 KiB apart, 256 pages 8 KiB
# apart), 256 pages of the third cloned into an archive at another offset (FICLONERANGE
# 4 MiB -> 8 MiB) and read there, and the third clone deleted. Run it under daxtrace share:
#   tools/vm/run.sh --kernel sid -- build/daxtrace share --model -- tools/vm/vm-farm.sh
set -eu
w=${BUILD:-build}/tools/dt-workload
d=${DAX_MNT:-/mnt/dax}
pages=2048
quiet() { "$w" "$@" > /dev/null; }

quiet create "$d/golden" $((pages * 4))k
quiet mwrite "$d/golden" $pages
for vm in vm1 vm2 vm3; do
	quiet clone "$d/golden" "$d/$vm"
done
for f in golden vm1 vm2 vm3; do
	quiet mread "$d/$f" $pages
done
quiet mwrite "$d/vm1" 64 --stride 32k
quiet mwrite "$d/vm2" 256 --stride 8k
quiet clonerange "$d/vm3" "$d/archive" 4m 1m 8m
quiet mread "$d/archive" 256 --offset 8m
rm "$d/vm3"
