#!/bin/sh
# The vm suite of the self-test: exits 0 without a single result line.
echo "booting nothing"
exit 0
