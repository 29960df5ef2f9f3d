#!/bin/sh
# Runs INSIDE the guest: every guest suite, for the attach families given, in one boot.
here=$(dirname "$0")
"$here/dax-suite.sh" "$@"
"$here/share-suite.sh" "$@"
"$here/mapuse-suite.sh" "$@"
