#!/bin/sh
# `make demo`, inside the guest: daxtop refreshing while the mixed workload runs, then one
# summary of a whole run of it.
set -eu
export BUILD="${BUILD:-build}"
echo "== daxtop -b -i 2 while tools/vm/demo-workload.sh runs ($(uname -r), $DAX_DEV on $DAX_MNT)"
"$BUILD/daxtop" -b -v -i 2 -r 8 --dax-only 2> /tmp/demo-top.err &
top=$!
# the workload starts once daxtop has attached (-v says when), not after a guess
for _ in $(seq 300); do grep -q '^daxtrace: attached' /tmp/demo-top.err && break; sleep 0.1; done
tools/vm/demo-workload.sh
kill -INT $top
wait $top
echo "== daxtrace top -b -- tools/vm/demo-workload.sh (one report for the whole run)"
rm -f "$DAX_MNT"/*
"$BUILD/daxtrace" top -b -r 8 -- tools/vm/demo-workload.sh
echo "== the screen: daxtop on a terminal"
tools/vm/demo-screen.sh
