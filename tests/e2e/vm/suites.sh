#!/bin/sh
# Runs INSIDE the guest: every guest suite, for the attach families given, in one boot, or
# those of GUEST_SUITES (passed with env: tests/e2e/vm/run.sh's older kernels run fewer).
# mapuse-suite.sh goes last (then pmdcow, below): it remakes the filesystem and ends with
# the 6.12 oops on purpose.
here=$(dirname "$0")
# Each suite exits 0 once it has run every test: anything else is a suite that stopped early,
# whose missing checks would otherwise count nowhere.
# The no-PMD reasons and device DAX suites run for auto and the kernel's first forced family
# only (run.sh: each kernel forces others): their probes are the fault path's, or function-only.
# doctor-suite.sh takes about 14 s under TCG on 7.2.
# pmdcow leaves /dev/pmem0 busy for mkfs (7.2: docs/findings.md 5; 6.1 too, measured in CI):
# it follows every suite that remakes the file system, mapuse included. 6.12 has no such
# place: mapuse ends with its oops on purpose, after which nothing else runs.
last="mapuse pmdcow"
case $(uname -r) in
6.12.*)
	last=mapuse
	[ -z "${GUEST_SUITES:-}" ] && echo "SKIP vm/$(uname -r)/pmdcow: no place in this run on 6.12 (it must follow mapuse, which ends with the 6.12 oops); 6.1 and 7.2 run it"
	;;
esac
for suite in ${GUEST_SUITES:-dax provider share stream concurrency exporter record nopmd ext4 mapsync devdax doctor $last}; do
	case $suite in
	nopmd | devdax) families="$1 ${2:-}" ;;
	# its verdicts are measured for auto and for fentry, which leaves share.disassoc out on 7.2
	doctor) families="auto fentry" ;;
	*) families="$*" ;;
	esac
	start=$(date +%s)
	# shellcheck disable=SC2086 # families: one argument per word
	"$here/$suite-suite.sh" $families ||
		echo "FAIL vm/$(uname -r)/$suite-suite: stopped early (exit $?), see the lines above"
	# where make check's time goes (docs/testing.md): INFO lines are no result, the runners
	# pass them on without counting them
	echo "INFO vm/$(uname -r)/$suite $(($(date +%s) - start)) s ($families)"
done
