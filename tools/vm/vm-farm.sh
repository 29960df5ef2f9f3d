#!/bin/sh
# The workload of docs/designs.md "One run, captured": the vm-farm scenario of
# daxtrace-workload(1) (tools/workload/scenarios.c) on $DAX_MNT. Run it under daxtrace share:
#   tools/vm/run.sh --kernel sid -- build/daxtrace share --model -- tools/vm/vm-farm.sh
set -eu
exec "${BUILD:-build}/tools/dt-workload" vm-farm "${DAX_MNT:-/mnt/dax}" > /dev/null
