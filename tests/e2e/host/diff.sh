#!/bin/sh
# daxtrace diff end to end (no BPF): the exit statuses git bisect run relies on, stdin, the
# JSON and KTAP outputs, a failed write, and a real `git bisect run` over records.
set -u
here=$(dirname "$0")
. "$here/lib.sh"
records=$(cd "$here/../../fixtures/records" && pwd)
base=$records/base.json
changed=$records/changed.json
tmp=$(mktemp -d /tmp/daxtrace-diff.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

# expect NAME STATUS STDERR_LINE -- ARGS: the status, and stderr's last line exactly
expect() {
	name=$1 want=$2 line=$3
	shift 4
	"$DAXTRACE" diff "$@" > "$tmp/out" 2> "$tmp/err"
	check "diff/$name" $? "$want" status
	check "diff/$name" "$(tail -n 1 "$tmp/err")" "$line" stderr
}

expect same 0 "" -- "$base" "$base"
check diff/same "$(head -n 1 "$tmp/out")" "fingerprint: no difference" stdout
expect regression 1 \
	"daxtrace diff: regression: top.total.cow 0 -> 64, top.total.mkwrite 64 -> 128" \
	-- "$base" "$changed"
check diff/regression "$(head -n 1 "$tmp/out")" "kernel.release: 6.1.0-41-amd64 -> 7.2.13-amd64" \
	fingerprint
expect within-thresholds 0 "" -- -t mkwrite=64 --threshold=cow=64 "$base" "$changed"
expect fail-on-other 0 "" -- --fail-on 'lat.*' "$base" "$changed"
expect timing-threshold 1 "daxtrace diff: regression: lat.pte-read.p50_ns 400 -> 480" \
	-- --fail-on p50_ns -t 'lat.*.p50_ns=10%' "$base" "$changed"
expect stdin 1 "daxtrace diff: regression: top.total.cow 0 -> 64, top.total.mkwrite 64 -> 128" \
	-- - "$changed" < "$base"

# a side whose runs lost events: the same comparison, and a warning that its counts may be short
jq '.runs[0].lost = 3 | .runs[0].missed_runs = 2' "$base" > "$tmp/lossy.json"
expect lossy 0 "daxtrace diff: warning: B's counts may be short: its runs lost 3 events, the kernel skipped 2 program runs, 0 rows were evicted (daxtrace-top(8), LOST EVENTS)" \
	-- "$base" "$tmp/lossy.json"

sed 's/mwrite/pwrite/' "$base" > "$tmp/other-command.json"
expect other-command 125 \
	"daxtrace diff: cannot compare (--allow-missing compares anyway): the records ran different commands" \
	-- "$base" "$tmp/other-command.json"
expect other-command-allowed 0 \
	"daxtrace diff: comparing anyway (--allow-missing): the records ran different commands" \
	-- --allow-missing "$base" "$tmp/other-command.json"
sed 's/"share.assoc":"none"/"share.assoc":"fentry"/' "$base" > "$tmp/attached.json"
expect attached-one-side 125 \
	"daxtrace diff: cannot compare (--allow-missing compares anyway): share.assoc attached in B only (fentry)" \
	-- "$base" "$tmp/attached.json"

echo '{"runs":[]}' > "$tmp/not-record.json"
expect not-a-record 2 "daxtrace diff: $tmp/not-record.json: not a daxtrace record (no \"format\")" \
	-- "$base" "$tmp/not-record.json"
sed 's|daxtrace-record/1|daxtrace-record/2|' "$base" > "$tmp/newer.json"
expect newer 2 "daxtrace diff: $tmp/newer.json: record format daxtrace-record/2 is newer than this daxtrace reads (daxtrace-record/1)" \
	-- "$tmp/newer.json" "$base"
head -c 100 "$base" > "$tmp/truncated.json"
expect truncated 2 "daxtrace diff: $tmp/truncated.json: truncated JSON at byte 100" \
	-- "$base" "$tmp/truncated.json"
expect missing 2 "daxtrace diff: $tmp/none.json: No such file or directory" \
	-- "$tmp/none.json" "$base"
expect two-stdin 2 "Try 'daxtrace diff --help' for more information." -- - - < "$base"
check diff/two-stdin "$(head -n 1 "$tmp/err")" "daxtrace diff: only one of A and B can be '-' (stdin)" message
expect one-file 2 "Try 'daxtrace diff --help' for more information." -- "$base"
expect bad-threshold 2 "Try 'daxtrace diff --help' for more information." -- -t mkwrite "$base" "$base"
expect bad-format 2 "Try 'daxtrace diff --help' for more information." -- --format yaml "$base" "$base"

# a failed write is no verdict on the commit: 255 stops a bisection
"$DAXTRACE" diff "$base" "$changed" > /dev/full 2> "$tmp/err"
check diff/write-error $? 255 status

"$DAXTRACE" diff --json "$base" "$changed" > "$tmp/out" 2> /dev/null
check diff/json "$(jq -c '[.status, .compared, [.metrics[] | select(.regression) | .metric]]' "$tmp/out")" \
	'[1,true,["top.total.cow","top.total.mkwrite"]]'
"$DAXTRACE" diff --json "$base" "$tmp/not-record.json" > "$tmp/out" 2> /dev/null
check diff/json-error "$(jq -r .error "$tmp/out")" "$tmp/not-record.json: not a daxtrace record (no \"format\")"
"$DAXTRACE" diff --format ktap "$base" "$changed" > "$tmp/out" 2> /dev/null
check diff/ktap "$(head -n 2 "$tmp/out" | tr '\n' ' ')" "KTAP version 1 1..17 "
check diff/ktap "$(grep -c '^ok [0-9]* ' "$tmp/out") $(grep -c '^not ok [0-9]* ' "$tmp/out")" "15 2" results

# git bisect run over four commits, each with its record: the third doubled mkwrite
repo=$tmp/repo
git init -q "$repo"
for n in 1 2 3 4; do
	if [ $n -ge 3 ]; then cp "$changed" "$repo/record.json"; else cp "$base" "$repo/record.json"; fi
	echo $n > "$repo/n"
	git -C "$repo" add -A
	git -C "$repo" -c user.name=t -c user.email=t@t commit -q -m "commit $n"
done
first=$(git -C "$repo" rev-list --max-parents=0 HEAD)
git -C "$repo" bisect start HEAD "$first" > /dev/null 2>&1
# git bisect run runs it in the repository: the binary by its absolute path
daxtrace=$(cd "$(dirname "$DAXTRACE")" && pwd)/$(basename "$DAXTRACE")
git -C "$repo" bisect run "$daxtrace" diff "$base" record.json > "$tmp/bisect" 2>&1
check diff/git-bisect-run "$(git -C "$repo" show -s --format=%s refs/bisect/bad)" "commit 3"
exit 0
