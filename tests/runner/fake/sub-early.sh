#!/bin/sh
# exits on the way, before its second test
. "$(dirname "$0")/../../e2e/host/lib.sh"
pass fake/sub-early-1
exit 5
