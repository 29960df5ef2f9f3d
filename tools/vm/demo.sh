#!/bin/sh
# make demo: the emulated-NVDIMM guest on the newest Debian kernel, running a mixed DAX workload
# under daxtop. On a machine with real pmem the same view is simply `sudo build/daxtop`.
set -eu
cd "$(dirname "$0")/../.."
exec tools/vm/run.sh --kernel "${KERNEL:-sid}" -- tools/vm/demo-guest.sh
