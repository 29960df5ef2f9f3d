#!/bin/bash
# daxtrace-workload (build/tools/dt-workload): its --help, man page (docs/daxtrace-workload.1) and
# bash completion name the same operations, scenarios and options; the scenarios' page-cache
# counts under `daxtrace top` are those the man page gives; usage errors exit 2, a failed step 1.
set -u
here=$(dirname "$0")
. "$here/lib.sh"
top=$here/../../..
man=$top/docs/daxtrace-workload.1
# shellcheck source=../../../packaging/bash-completion/daxtrace-workload
. "$top/packaging/bash-completion/daxtrace-workload"

# same NAME WANTED GOT: the two lists (one word a line) hold the same words.
same() {
	local missing extra
	missing=$(comm -23 <(echo "$2" | sort -u) <(echo "$3" | sort -u) | tr '\n' ' ')
	extra=$(comm -13 <(echo "$2" | sort -u) <(echo "$3" | sort -u) | tr '\n' ' ')
	if [ -z "$(echo "$2" | tr -d '[:space:]')" ]; then
		fail "$1" "nothing to compare: the --help output was not understood"
	elif [ -n "$missing$extra" ]; then
		fail "$1" "missing: ${missing:-none}; not in --help: ${extra:-none}"
	else
		pass "$1"
	fi
}

# man_entries SECTION: the first word of each .B/.BI tag in SECTION of the man page, unescaped.
man_entries() {
	sed -n "/^\.SH $1\$/,/^\.SH /p" "$man" | sed -n 's/^\.BI* \([^ ]*\).*/\1/p' |
		sed 's/\\-/-/g; s/"//g; s/,$//'
}

help=$("$WORKLOAD" --help)
operations=$(echo "$help" | sed -n '/^operations:/,/^$/s/^  \([a-z][a-z-]*\) .*/\1/p')
scenarios=$(echo "$help" | sed -n '/^scenarios:/,/^$/s/^  \([a-z][a-z-]*\) .*/\1/p')
options=$(echo "$help" | sed -n '/^options/,/^$/p' | grep -oE '^ +(-h, )?--[a-z]+' |
	grep -oE -- '--[a-z]+')
same workload/man-operations "$operations" "$(man_entries OPERATIONS)"
same workload/man-scenarios "$scenarios" "$(man_entries SCENARIOS)"
same workload/man-options "$options" "$(sed -n '/^\.SH OPTIONS$/,/^\.SH /p' "$man" |
	grep '^\.B' | grep -oE '\\-\\-[a-z]+' | sed 's/\\-/-/g')"

# offered WORD...: what the completion offers for the last WORD, one a line.
offered() {
	COMP_WORDS=("$@")
	COMP_CWORD=$(($# - 1))
	COMPREPLY=()
	_daxtrace_workload
	printf '%s\n' "${COMPREPLY[@]}"
}
same workload/completion-names "$operations
$scenarios" "$(offered daxtrace-workload '')"
same workload/completion-options "$options" "$(offered daxtrace-workload -- | grep -- '^--')"
check workload/completion-after-option "$(offered daxtrace-workload --stride 8k mw)" \
	"$(printf 'mwrite\nmwrite-sync\nmwrite-sync-new\nmwrite-files')"

"$WORKLOAD" --stride 8k vm-farm /tmp > /dev/null 2>&1
check workload/scenario-option $? 2 exit-status
"$WORKLOAD" demo > /dev/null 2>&1
check workload/scenario-arguments $? 2 exit-status
err=$("$WORKLOAD" vm-farm /nonexistent/dir 2>&1 > /dev/null)
check workload/failed-step $? 1 exit-status
check workload/failed-step "$(echo "$err" | grep -c 'exited with status 1')" 1 message

# MAP_SYNC exists on DAX only: the page cache refuses the mapping, a failed call (exit 1).
sync_file=$(mktemp)
err=$("$WORKLOAD" mwrite-sync-new "$sync_file" 4 2>&1 > /dev/null)
check workload/map-sync-page-cache $? 1 exit-status
check workload/map-sync-page-cache "$(echo "$err" | grep -c 'mmap MAP_SYNC .*: Operation not supported$')" \
	1 message
rm -f "$sync_file"
"$WORKLOAD" --private mwrite-sync /dev/null 1 > /dev/null 2>&1
check workload/map-sync-private $? 2 exit-status

if [ "$(id -u)" -ne 0 ]; then
	skip workload/page-cache "needs root (BPF, mount)"
	exit 0
fi
setup_xfs

# row FIELD PATH: FIELD of the file row of PATH in $out.
row() {
	echo "$out" | grep '^{"time"' | jq --arg p "$2" "[.files[] | select(.path == \$p)][0].$1"
}
total() {
	echo "$out" | grep '^{"time"' | jq -c ".total | $1"
}

# vm-farm: cow 64 + 256, remaps 3 clones + 1 clone range; vm1 and vm2 are written after being
# read, page by page: one mkwrite per page written (golden's depends on folio sizes: not checked).
d=$mnt/farm
mkdir "$d"
drop_caches
out=$("$DAXTRACE" top --json -- "$WORKLOAD" vm-farm "$d")
check workload/vm-farm "$(total '{faults, cow, remaps}')" '{"faults":0,"cow":320,"remaps":4}' total
check workload/vm-farm "$(row mkwrite "$d/vm1") $(row cow "$d/vm1")" "64 64" vm1
check workload/vm-farm "$(row mkwrite "$d/vm2") $(row cow "$d/vm2")" "256 256" vm2
check workload/vm-farm "$(row remaps "$d/archive")" 1 archive
check workload/vm-farm "$(echo "$out" | grep '"op":"vm-farm"' | jq .steps)" 13 steps
check workload/vm-farm "$([ -e "$d/vm3" ] && echo kept || echo deleted)" deleted vm3

# demo: three rounds of rw 64 read-then-write pages and a fresh clone's 32.
d=$mnt/demo
mkdir "$d"
drop_caches
out=$("$DAXTRACE" top --json -- "$WORKLOAD" demo "$d")
check workload/demo "$(total '{faults, mkwrite, cow, remaps}')" \
	'{"faults":0,"mkwrite":288,"cow":96,"remaps":3}' total
check workload/demo "$(row mkwrite "$d/rw")" 192 rw
for round in 1 2 3; do
	check workload/demo "$(row mkwrite "$d/clone$round") $(row cow "$d/clone$round")" "32 32" \
		"clone$round"
done
check workload/demo "$(echo "$out" | grep '"op":"demo"' | jq .steps)" 24 steps

# validate: pte's 64 read-then-write pages and the clone's 16 first writes, each a COW that the
# final syncfs completes; its files are gone at the end.
d=$mnt/validate
mkdir "$d"
drop_caches
out=$("$DAXTRACE" top --json -- "$WORKLOAD" validate "$d")
check workload/validate "$(total '{faults, mkwrite, cow, cow_bytes, remaps}')" \
	'{"faults":0,"mkwrite":80,"cow":16,"cow_bytes":65536,"remaps":1}' total
check workload/validate "$(row mkwrite "$d/pte") $(row mkwrite "$d/clone") $(row cow "$d/clone")" \
	"64 16 16" files
check workload/validate "$(echo "$out" | grep '"op":"validate"' | jq .steps)" 9 steps
check workload/validate "$(ls -A "$d")" "" removed
exit 0
