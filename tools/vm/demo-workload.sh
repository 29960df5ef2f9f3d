#!/bin/sh
# The mixed DAX workload of `make demo`, run in the guest on $DAX_MNT: the demo scenario of
# daxtrace-workload(1) (tools/workload/scenarios.c), several processes doing 4 KiB faults, 2 MiB
# faults, PMD fallbacks, write-protect faults and reflink COW breaks.
set -eu
exec "${BUILD:-build}/tools/dt-workload" demo "$DAX_MNT" > /dev/null
