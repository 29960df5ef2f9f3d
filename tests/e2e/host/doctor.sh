#!/bin/sh
# Host end-to-end tests of doctor's verdicts and of honest emptiness (issue #16): the host has
# no DAX mount and no device DAX, and tracepoints only (no kprobes, no fentry).
set -u
here=$(dirname "$0")
. "$here/lib.sh"
workdir=$(mktemp -d /tmp/daxtrace-e2e.XXXXXX)
trap 'rm -rf "$workdir"' EXIT

doctor=$("$DAXTRACE" doctor --json)
check doctor/status $? 0
if [ "$(echo "$doctor" | jq -c '[.kprobes, .fentry, .dax_mounts, .pmem_devices]')" != \
	'[false,false,[],[]]' ]; then
	skip doctor "this machine has kprobes, fentry or DAX: the host's expectations do not hold"
	exit 0
fi

# verdict COMMAND VERDICT MISSING_POINTS: doctor's verdict for one command, and the points it
# names, as the host's plan implies (its none points: sync, share.*, mapuse.* and fault.devdax,
# reached by kprobe or fentry only; share.context only when share.disassoc lands on a clone).
verdict() {
	check "doctor/verdict/$1" "$(echo "$doctor" | jq -r --arg c "$1" \
		'.verdicts[] | select(.command == $c) | .verdict + " " + (.missing_points | join(","))')" \
		"$2 $3"
}
FUNCTIONS_ONLY="reached by kprobe or fentry only, and this kernel has neither"
# top, lat, snoop: the sync timing and device DAX faults
for c in top lat snoop; do
	verdict $c works_partly sync,fault.devdax
done
verdict cow works_partly sync # cow has no device DAX rows
verdict exporter works_partly sync # without --share
verdict share cannot_run share.assoc,share.disassoc
verdict mapuse cannot_run mapuse.lock,mapuse.generic,mapuse.fs_rmap,mapuse.layout
verdict record works_partly \
	sync,share.assoc,share.disassoc,mapuse.lock,mapuse.generic,mapuse.fs_rmap,mapuse.layout,fault.devdax
check doctor/verdict/top/why "$(echo "$doctor" | jq -r '.verdicts[0].why')" \
	"sync, fault.devdax: $FUNCTIONS_ONLY"
check doctor/verdict/share/why "$(echo "$doctor" | jq -r '.verdicts[4].why')" \
	"share.assoc, share.disassoc: $FUNCTIONS_ONLY: it cannot run without them"
check doctor/verdict/top/fix "$(echo "$doctor" | jq -r '.verdicts[0].fix')" \
	"kprobes (CONFIG_KPROBES) or fentry (BPF trampolines, CONFIG_DYNAMIC_FTRACE_WITH_DIRECT_CALLS)"
text=$("$DAXTRACE" doctor)
check doctor/text/dax-mounts "$(echo "$text" | grep '^dax mounts')" "dax mounts  none"
check doctor/text/top "$(echo "$text" | grep '^top ')" \
	"top       works partly  sync, fault.devdax: $FUNCTIONS_ONLY"
check doctor/text/mapuse "$(echo "$text" | grep -c '^mapuse    cannot run    none of its probe points exists: ')" 1
# the longest name, share.disassoc (14), sets the column: every KIND starts at column 16
check doctor/text/point-column "$(echo "$text" | sed -n '/^POINT/,/^$/p' |
	grep -v '^ ' | grep -vc '^.\{15\}\(KIND\|tp_btf\|raw_tp\|classic\|fentry\|kprobe\|none\) ')" 1

# The no-DAX line: once on stderr, and the same message in the JSON header ("empty").
MESSAGE="no DAX mount or device DAX device"
# empty_once NAME STDERR MESSAGE_IN_JSON
empty_once() {
	check "empty/$1/stderr" "$(grep -c "^daxtrace $1: warning: $MESSAGE: " "$2")" 1
	check "empty/$1/lines" "$(grep -c "$MESSAGE" "$2")" 1
	check "empty/$1/json" "$3" "no_dax $(grep "$MESSAGE" "$2" | sed 's/^daxtrace [a-z]*: warning: //')"
}
for c in top cow lat; do
	out=$("$DAXTRACE" $c --json -- true 2> "$workdir/$c.err")
	check "empty/$c" $? 0 status
	empty_once $c "$workdir/$c.err" "$(echo "$out" | jq -r '.empty.reason + " " + .empty.message')"
done
check empty/top/message "$(cat "$workdir/top.err")" "daxtrace top: warning: $MESSAGE: top counts \
only page-cache mmap writes and XFS reflink activity (see 'daxtrace doctor')"
# snoop's JSON: the events, then the summary object, which carries it
out=$("$DAXTRACE" snoop --json -- true 2> "$workdir/snoop.err")
check empty/snoop $? 0 status
empty_once snoop "$workdir/snoop.err" "$(echo "$out" | tail -n 1 |
	jq -r '.empty.reason + " " + .empty.message')"
# record's header object is the fingerprint; --repeat runs a session each, said once
"$DAXTRACE" record -o "$workdir/rec.json" --repeat 2 -- true 2> "$workdir/record.err"
check empty/record $? 0 status
empty_once record "$workdir/record.err" "$(jq -r '.fingerprint.empty.reason + " " + .fingerprint.empty.message' "$workdir/rec.json")"
# share and mapuse cannot run here: their error, and no line about DAX
for c in share mapuse; do
	"$DAXTRACE" $c -n 1 > /dev/null 2> "$workdir/$c.err"
	check "empty/$c" $? 1 status
	check "empty/$c/not-said" "$(grep -c "$MESSAGE" "$workdir/$c.err")" 0
done
# the exporter: one log line at start, in its log format
port=$(free_port)
in_background "$workdir/exporter.log" "$DAXTRACE" exporter --listen "127.0.0.1:$port"
exporter=$!
if wait_for_line "$workdir/exporter.log" 'msg=listening'; then
	check empty/exporter "$(grep -c " level=warn msg=\"$MESSAGE: the exporter counts only" \
		"$workdir/exporter.log")" 1
else
	fail empty/exporter "the exporter did not start: $(cat "$workdir/exporter.log")"
fi
kill $exporter
wait $exporter
check empty/exporter "$(grep -c "$MESSAGE" "$workdir/exporter.log")" 1 once
# the end: tests/e2e/host/run.sh fails a suite that stops before it
exit 0
