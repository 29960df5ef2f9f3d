#!/bin/sh
# Runs INSIDE the guest: share-suite.sh's tests of 4 KiB writes into PMD entries two files
# share (family auto). After them 7.x keeps /dev/pmem0 busy until reboot (docs/findings.md 5),
# so suites.sh runs this suite last on 7.x.
exec "$(dirname "$0")/share-suite.sh" --pmd-cow "$@"
