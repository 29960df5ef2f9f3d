#!/bin/sh
# Bad input: one line naming the problem, the usage hint, exit 2; under --json also an
# {"error": ...} object. Missing privileges or kernel features: exit 1 and what is needed.
set -u
here=$(dirname "$0")
. "$here/lib.sh"

# expect_status NAME STATUS STDERR_PATTERN -- daxtrace ARGS...
expect_status() {
	name=$1 want=$2 pattern=$3
	shift 4
	err=$("$DAXTRACE" "$@" 2>&1 > /dev/null)
	got=$?
	check "usage/$name" $got "$want" status
	if echo "$err" | grep -q -- "$pattern"; then
		pass "usage/$name/message"
	else
		fail "usage/$name/message" "stderr lacks '$pattern': $err"
	fi
}

expect_status unknown-option 2 "unknown option '--frobnicate'" -- top --frobnicate
expect_status bad-pid 2 "bad PID 'abc'" -- top -p abc
expect_status missing-pid 2 "no process with PID 4194303" -- top -p 4194303
expect_status bad-interval 2 "bad interval '-1'" -- top -i -1
expect_status zero-interval 2 "bad interval '0'" -- top -i 0
expect_status bad-count 2 "bad count 'x'" -- top -n x
expect_status bad-cgroup 2 "cgroup '/nonexistent' is not a directory" -- top -C /nonexistent
expect_status not-cgroup2 2 "'/tmp' is not in a cgroup v2 hierarchy" -- top -C /tmp
expect_status missing-argument 2 "option '-i' needs an argument" -- top -i
expect_status missing-long-argument 2 "option '--pid' needs an argument" -- top -n 1 --pid
expect_status doctor-command 2 "doctor runs no command" -- doctor -- true
expect_status dashdash-alone 2 "'--' needs a command" -- top --
expect_status bad-attach 2 "bad --attach 'tracepoints'" -- top --attach=tracepoints
expect_status bad-dev 2 "bad device '8'" -- top -d 8
expect_status zero-dev 2 "bad device '0:0'" -- top -d 0:0
expect_status huge-dev 2 "bad device '4096:0'" -- top -d 4096:0
expect_status bundle-unknown 2 "unknown option '-x'" -- top -xv
expect_status long-unknown 2 "unknown option '--frobnicate'" -- top --frobnicate=3
expect_status long-needless-value 2 "option '--json' takes no argument" -- top --json=1
expect_status bad-sort 2 "bad sort key 'speed'" -- top -s speed
expect_status extra-argument 2 "unexpected argument 'foo'" -- top foo
expect_status unknown-command 2 "unknown command 'frob'" -- frob
expect_status usage-hint 2 "Try 'daxtrace top --help'" -- top -i x
expect_status doctor-bad-option 2 "unknown option" -- doctor --frobnicate
expect_status share-bad-max-pfns 2 "bad --max-pfns '0'" -- share --max-pfns 0
expect_status share-bad-proxy-bytes 2 "bad --proxy-bytes 'x'" -- share --proxy-bytes x
expect_status share-bad-update-ns 2 "bad --update-ns 'x'" -- share --model --update-ns x
expect_status share-price-without-model 2 "--alloc-ns needs --model" -- share --alloc-ns 5 -- true
expect_status share-proxy-without-model 2 "--proxy-bytes needs --model" -- share --proxy-bytes 128 -- true
expect_status share-bad-rows 2 "bad row count '0'" -- share -r 0
expect_status mapuse-bad-stacks 2 "bad --stacks 'many'" -- mapuse --stacks many
expect_status snoop-bad-events 2 "bad event type 'faults'" -- snoop --events fault,faults
expect_status snoop-empty-events 2 "bad event type ','" -- snoop --events ,
expect_status snoop-bad-buffer 2 "bad --buffer-kb '0'" -- snoop --buffer-kb 0
expect_status snoop-huge-buffer 2 "bad --buffer-kb '2097152'" -- snoop --buffer-kb 2097152
expect_status lat-bad-option 2 "unknown option '-x'" -- lat -x
expect_status lat-bad-interval 2 "bad interval 'soon'" -- lat -i soon

# A thread's id is not a process: -p matches thread groups.
thread=
for task in /proc/[0-9]*/task/[0-9]*; do
	tid=${task##*/} pid=${task#/proc/} pid=${pid%%/*}
	[ "$tid" != "$pid" ] && thread="$tid $pid" && break
done
if [ -n "$thread" ]; then
	tid=${thread% *} pid=${thread#* }
	set -- "$tid" "$pid"
	expect_status thread-pid 2 "$1 is a thread of process $2" -- top -p "$1"
else
	skip usage/thread-pid "no multi-threaded process on this machine"
fi

json_error=$("$DAXTRACE" top --json -i x 2> /dev/null | jq -r .error)
check usage/json-error "$json_error" "bad interval 'x': expected seconds, 0.01 to 86400"

# This host has neither kprobes nor working fentry: forcing them must say so, not pretend.
if [ -e /sys/bus/event_source/devices/kprobe ]; then
	skip usage/forced-kprobe "this kernel has kprobes"
else
	expect_status forced-kprobe 1 "this kernel has no kprobes" -- top --attach=kprobe -n 1
fi

# fs/dax.c has no tracepoint on associations: share needs fentry or kprobes, and says so.
if [ -e /sys/bus/event_source/devices/kprobe ]; then
	skip usage/share-no-function-probes "this kernel has kprobes"
else
	expect_status share-no-function-probes 1 \
		"probe point share.assoc: dax_insert_entry is reached by fentry or kprobe only, and this kernel has neither" \
		-- share -- true
	expect_status mapuse-no-function-probes 1 "none of this command's probe points exist" \
		-- mapuse -- true
fi

# Without CAP_BPF/CAP_PERFMON: what is needed, exit 1.
if command -v setpriv > /dev/null; then
	err=$(setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all \
		"$DAXTRACE" top -n 1 2>&1)
	check usage/not-root $? 1 status
	if echo "$err" | grep -q "needs CAP_BPF and CAP_PERFMON"; then
		pass usage/not-root/message
	else
		fail usage/not-root/message "got: $err"
	fi
else
	skip usage/not-root "setpriv (util-linux) missing"
fi

# doctor on this host: BTF yes, kprobes and fentry no, and a tracepoint-only plan. The share
# and mapuse points have no tracepoint (they are kernel functions): unavailable here.
doctor=$("$DAXTRACE" doctor --json)
check doctor $? 0 status
check doctor "$(echo "$doctor" | jq .btf)" true btf
# neither fentry nor kprobes here: no function target is checked, so no list is read
check doctor "$(echo "$doctor" | jq -c .function_lists)" \
	'{"kallsyms":null,"available_filter_functions":null,"kprobe_blacklist":null}' no-function-lists
check doctor "$(echo "$doctor" | jq -r '[.plan[] | select(.kind == "none") | .point] | join(",")')" \
	sync,share.assoc,share.disassoc,mapuse.lock,mapuse.generic,mapuse.fs_rmap,mapuse.layout,cost.disassoc,cost.lock,cost.generic,cost.fs_rmap,cost.rmap_walk,fault.devdax \
	unavailable-points
# sync (dax_finish_sync_fault) has functions only: none here, sync counted, its time not
check doctor "$(echo "$doctor" | jq -r '.plan[] | select(.point == "sync") | .note')" \
	"dax_finish_sync_fault is reached by fentry or kprobe only, and this kernel has neither" \
	sync-untimed
# device DAX has no tracepoint: fault.devdax is function-only, like share's, its costs' and
# mapuse's points
top_kinds='[.plan[] | select(.point | test("^(share|cost|mapuse)[.]|^remap[.]call$|^sync$|^fault[.]devdax$") | not) | .kind] | unique | join(",")'
check doctor "$(echo "$doctor" | jq -r "$top_kinds")" tp_btf tp_btf-plan
# the ioctl of a remap (snoop, cow) is a syscalls:* event: tracefs only, mounted meanwhile
check doctor "$(echo "$doctor" | jq -r '.plan[] | select(.point == "remap.call") | .kind')" \
	classic remap-call-classic
check doctor "$(echo "$doctor" | jq .tracefs)" "$(mountpoint -q /sys/kernel/tracing && echo true || echo false)" \
	tracefs-as-found
check doctor "$("$DAXTRACE" doctor --json --attach=classic | jq -r "$top_kinds")" \
	classic classic-plan
# --version and -V: the same one line, exit 0, with debian/changelog's version (the package's),
# a commit (or "unknown" outside git) and the libbpf linked in (tools/libbpf.sh's, major.minor).
version_line=$("$DAXTRACE" --version)
check usage/version $? 0 status
version_short=$("$DAXTRACE" -V)
check usage/version $? 0 short-status
check usage/version "$version_short" "$version_line" same-line
check usage/version "$(echo "$version_line" | wc -l)" 1 one-line
changelog_version=$(dpkg-parsechangelog -l "$here/../../../debian/changelog" -S Version)
libbpf_version=$(cut -d . -f 1,2 "$BUILD/libbpf/version")
if echo "$version_line" | grep -Eqx "daxtrace $changelog_version \(git ([0-9a-f]{12}(-dirty)?|unknown), libbpf $libbpf_version\)"; then
	pass usage/version/format
else
	fail usage/version/format "'$version_line' is not 'daxtrace $changelog_version (git COMMIT, libbpf $libbpf_version)'"
fi
# ... and in every command (daxtop -V as well): the same line, exit 0, nothing started.
for command in top cow lat snoop share mapuse exporter record report diff doctor; do
	check "usage/version/$command" "$("$DAXTRACE" "$command" -V 2>&1)" "$version_line"
done
check usage/version/daxtop "$("$BUILD/daxtop" --version 2>&1)" "$version_line"
# Each command's --help: exit 0, its usage line first. manpages.sh compares the text with the
# man pages; this runs it in the sanitizer lane too, which leaves manpages.sh out.
for command in top cow lat snoop share mapuse exporter record report diff doctor; do
	help=$("$DAXTRACE" "$command" --help)
	check "usage/help/$command" $? 0 status
	check "usage/help/$command" "$(echo "$help" | head -n 1 | cut -d ' ' -f 1-3)" \
		"Usage: daxtrace $command" usage-line
done

# One option language (docs/architecture.md): -b is batch and -m msecs everywhere. The old
# spellings snoop -b N and share -m work for one release, with one warning line naming the new.
err=$("$DAXTRACE" snoop -b 64 --events mkwrite -- true 2>&1 > /dev/null)
check usage/deprecated-snoop-b $? 0 status
check usage/deprecated-snoop-b "$(echo "$err" | grep -c deprecated)" 1 one-warning
check usage/deprecated-snoop-b "$(echo "$err" | grep deprecated)" \
	"daxtrace snoop: warning: -b is deprecated, use --buffer-kb (-b will mean --batch)" message
# still the buffer size: its bounds apply
expect_status deprecated-snoop-b-value 2 "bad --buffer-kb '0'" -- snoop -b 0
err=$("$DAXTRACE" snoop --buffer-kb 64 --events mkwrite -- true 2>&1 > /dev/null)
check usage/snoop-buffer-kb "$(echo "$err" | grep -c deprecated)" 0 no-warning
# share cannot run on this host (no kprobes, no fentry): the warning comes first, once
err=$("$DAXTRACE" share -m -- true 2>&1 > /dev/null)
check usage/deprecated-share-m "$(echo "$err" | grep -c deprecated)" 1 one-warning
check usage/deprecated-share-m "$(echo "$err" | grep deprecated)" \
	"daxtrace share: warning: -m is deprecated, use --model (-m is lat's --msecs)" message
check usage/share-model "$("$DAXTRACE" share --model -- true 2>&1 | grep -c deprecated)" 0 \
	no-warning

# With -- CMD a command reports once, when CMD exits: -i and -n would be ignored, so they are
# refused (they were silently ignored before), and CMD is not run.
expect_status interval-with-command 2 \
	"-i and -- CMD exclude each other: with a command, one report when it exits" \
	-- top -i 2 -- touch /tmp/daxtrace-usage-ran
expect_status count-with-command 2 "-n and -- CMD exclude each other" -- lat --count 3 -- true
expect_status mapuse-interval-with-command 2 "-i and -- CMD exclude each other" \
	-- mapuse --interval=1 -- true
check usage/interval-with-command "$(test -e /tmp/daxtrace-usage-ran && echo ran)" "" not-run

# doctor traces nothing: the filters and -v are not its options (its --help lists none).
expect_status doctor-pid 2 "unknown option '-p'" -- doctor -p 1
expect_status doctor-dax-only 2 "unknown option '--dax-only'" -- doctor --dax-only
expect_status doctor-verbose 2 "unknown option '-v'" -- doctor -v
if "$DAXTRACE" doctor --help | grep -Eq -- '-- CMD|--pid|--verbose'; then
	fail usage/doctor-help "doctor --help lists options doctor refuses"
else
	pass usage/doctor-help
fi

# the end: tests/e2e/host/run.sh fails a suite that stops before it
exit 0
