#!/bin/sh
# The mixed DAX workload of `make demo`, run in the guest on $DAX_MNT: several processes doing
# 4 KiB faults, 2 MiB faults, PMD fallbacks, write-protect faults and reflink COW breaks.
set -eu
w=${BUILD:-build}/tools/dt-workload
m=$DAX_MNT
for f in small huge fallback rw src; do
	"$w" create "$m/$f" 16m > /dev/null
done
# Entries made PTE-sized first, so that 2 MiB faults on this file fall back.
"$w" mread "$m/fallback" 8 --stride 2m > /dev/null

for round in 1 2 3; do
	"$w" mread "$m/small" 256 > /dev/null &
	"$w" mread "$m/huge" 8 --stride 2m --huge > /dev/null &
	"$w" mread "$m/fallback" 8 --stride 2m --huge > /dev/null &
	"$w" mreadwrite "$m/rw" 64 --stride 64k > /dev/null &
	"$w" clone "$m/src" "$m/clone$round" > /dev/null
	"$w" mreadwrite "$m/clone$round" 32 --stride 256k > /dev/null &
	wait
	sleep 1
done
