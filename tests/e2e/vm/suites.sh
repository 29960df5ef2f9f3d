#!/bin/sh
# Runs INSIDE the guest: every guest suite, for the attach families given, in one boot.
# mapuse-suite.sh goes last: it remakes the filesystem and ends with the 6.12 oops on purpose.
here=$(dirname "$0")
"$here/dax-suite.sh" "$@"
"$here/share-suite.sh" "$@"
"$here/stream-suite.sh" "$@"
"$here/mapuse-suite.sh" "$@"
