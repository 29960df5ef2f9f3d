#!/bin/sh
# a shell error stops it (set -u): the status is 2
set -u
. "$(dirname "$0")/../../e2e/host/lib.sh"
pass fake/sub-unset-1
# shellcheck disable=SC2154 # unset on purpose
echo "$no_such_variable"
pass fake/sub-unset-2
