#!/bin/sh
# The host suite of the self-test, through tests/e2e/host/lib.sh's run_suite: sub-suites that
# end, exit early or stop on a shell error; then it exits 3 itself. In the sanitizer lane it
# runs the fake daxtrace instead, which leaves reports behind.
set -u
here=$(dirname "$0")
. "$here/../../e2e/host/lib.sh"
if [ -n "${ASAN_OPTIONS:-}" ]; then
	"$DAXTRACE" ubsan 2> /dev/null
	pass fake/after-ubsan
	"$DAXTRACE" leak 2> /dev/null
	exit 0
fi
pass fake/first
run_suite "$here/sub-ok.sh"
run_suite "$here/sub-early.sh"
run_suite "$here/sub-unset.sh"
exit 3
