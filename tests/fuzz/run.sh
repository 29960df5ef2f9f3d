#!/bin/sh
# Runs every fuzz target ($BUILD/fuzz/fuzz_NAME, built from tests/fuzz/fuzz_NAME.c) over its
# seed corpus (tests/fuzz/corpus/NAME) and then for FUZZ_SECONDS of fuzzing, one result line per
# target: "PASS fuzz/NAME", or "FAIL fuzz/NAME: why" when libFuzzer exits non-zero (a crash, a
# sanitizer report, a leak, a timeout); the input that did it is kept in $BUILD/fuzz/crashes/NAME/
# and the log in $BUILD/fuzz/NAME.log.
#
# Environment: BUILD (build), FUZZ_SECONDS (2: make test's regression run; make fuzz sets 60),
# FUZZ_SCRATCH (where new inputs go, one directory per target; a temporary one, removed at the
# end, if unset: the tree's corpus only ever holds the seeds), FUZZ_TARGETS (which, all by
# default: "mounts smaps record share_stream").
set -u
# No target needs a locale. make test sets LOCPATH (the JSON writer's locale test), and with it
# glibc 2.36's newlocale(), which json-c calls on every parse (fuzz_record), leaks the directory
# list it builds (tests/lsan.supp): libFuzzer would report that leak as the target's.
unset LOCPATH
here=$(dirname "$0")
BUILD=${BUILD:-build}
seconds=${FUZZ_SECONDS:-2}
scratch=${FUZZ_SCRATCH:-}
if [ -z "$scratch" ]; then
	scratch=$(mktemp -d)
	trap 'rm -rf "$scratch"' EXIT
fi

# max_len NAME: the longest input to try. Lines longer than the old fixed buffers (4608 bytes
# for smaps) must be reachable; a command line need not be long.
max_len() {
	case "$1" in
	options) echo 1024 ;;
	*) echo 16384 ;;
	esac
}

for source in "$here"/fuzz_*.c; do
	name=${source##*/fuzz_}
	name=${name%.c}
	case " ${FUZZ_TARGETS:-$name} " in
	*" $name "*) ;;
	*) continue ;;
	esac
	target=$BUILD/fuzz/fuzz_$name
	if [ ! -x "$target" ]; then
		echo "FAIL fuzz/$name: no $target (make fuzz-build)"
		continue
	fi
	crashes=$BUILD/fuzz/crashes/$name
	log=$BUILD/fuzz/$name.log
	mkdir -p "$scratch/$name" "$crashes"
	set -- -max_total_time="$seconds" -max_len="$(max_len "$name")" -timeout=10 \
		-rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$crashes/"
	[ ! -f "$here/$name.dict" ] || set -- "$@" -dict="$here/$name.dict"
	# stderr of the code under test (usage errors of fuzz_options) is closed: libFuzzer keeps
	# its own, and the sanitizers' reports, on a duplicate
	"$target" "$@" -close_fd_mask=3 "$scratch/$name" "$here/corpus/$name" > "$log" 2>&1
	status=$?
	done_line=$(grep -m1 '^#[0-9]*[[:space:]]*DONE' "$log")
	if [ $status -eq 0 ]; then
		echo "    $name: $done_line"
		echo "PASS fuzz/$name"
	else
		sed -n '/ERROR\|runtime error\|fuzz_check\|Test unit written/p' "$log" | head -n 20 |
			sed 's/^/    /'
		echo "FAIL fuzz/$name: libFuzzer exit status $status, the input in $crashes/, the log in $log"
	fi
done
exit 0
