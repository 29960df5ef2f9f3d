#!/bin/bash
# The bash completion (packaging/bash-completion/daxtrace) against the binary's own --help, so
# that a command or an option added to daxtrace and not to the completion fails here:
# - `daxtrace <TAB>` offers every command of `daxtrace --help`;
# - `daxtrace CMD -<TAB>` offers every option `daxtrace CMD --help` prints, long and short;
# - `--attach <TAB>` offers the families --help lists, `snoop --events` the event types its
#   error message lists; `daxtop` completes as `daxtrace top`.
set -u
here=$(dirname "$0")
. "$here/lib.sh"
completion=$here/../../../packaging/bash-completion/daxtrace

# shellcheck source=../../../packaging/bash-completion/daxtrace
. "$completion"

# offered WORD...: what the completion registered for WORD[0] offers for the last WORD, one a line.
offered() {
	local spec function
	spec=$(complete -p "${1##*/}" 2> /dev/null) || return 1
	function=${spec#*-F }
	function=${function%% *}
	COMP_WORDS=("$@")
	COMP_CWORD=$(($# - 1))
	COMP_LINE="$*"
	COMP_POINT=${#COMP_LINE}
	COMPREPLY=()
	"$function" "$1" "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
	printf '%s\n' "${COMPREPLY[@]}"
}

# expect_all NAME WANTED OFFERED: every word of WANTED (one a line) is among OFFERED.
expect_all() {
	local missing
	missing=$(comm -23 <(echo "$2" | sort -u) <(echo "$3" | sort -u) | tr '\n' ' ')
	if [ -z "$(echo "$2" | tr -d '[:space:]')" ]; then
		fail "$1" "nothing to compare: the --help output was not understood"
	elif [ -n "$missing" ]; then
		fail "$1" "not offered: $missing"
	else
		pass "$1"
	fi
}

commands=$("$DAXTRACE" --help | sed -n '/^Commands:/,/^$/s/^  \([a-z][a-z]*\) .*/\1/p')
expect_all completion/commands "$commands" "$(offered daxtrace '')"

for command in $commands; do
	help=$("$DAXTRACE" "$command" --help)
	# the option column: "  -i, --interval SEC", "      --dax-only"
	long=$(echo "$help" | grep -oE '^ +(-[A-Za-z], )?--[a-z][a-z-]*' | grep -oE -- '--[a-z-]+')
	short=$(echo "$help" | grep -oE '^ +-[A-Za-z],' | grep -oE -- '-[A-Za-z]')
	expect_all "completion/$command/long" "$long" "$(offered daxtrace "$command" --)"
	expect_all "completion/$command/short" "$short" "$(offered daxtrace "$command" -)"
	# and nothing the command does not take (doctor's filters, a deprecated spelling)
	expect_all "completion/$command/only-help" \
		"$(offered daxtrace "$command" - | grep -vx -- --)" "$(printf '%s\n' "$long" "$short")"
done

help=$("$DAXTRACE" top --help)
expect_all completion/daxtop "$(echo "$help" | grep -oE '^ +(-[A-Za-z], )?--[a-z][a-z-]*' |
	grep -oE -- '--[a-z-]+')" "$(offered daxtop --)"

families=$(echo "$help" | sed -n 's/^ *--attach FAMILY *//p' | tr '|' '\n')
expect_all completion/attach-families "$families" "$(offered daxtrace top --attach '')"
expect_all completion/attach-families-equals "$families" "$(offered daxtrace top --attach = '')"
check completion/attach-prefix "$(offered daxtrace lat --attach t)" "$(printf 'tracepoint\ntp_btf')"

# the sort keys: the ones a bad -s lists, from counter_names
keys=$("$DAXTRACE" top -s '?' 2>&1 | sed -n 's/.*expected one of //p' | sed 's/, /\n/g')
expect_all completion/sort-keys "$keys" "$(offered daxtrace top -s '')"
expect_all completion/sort-keys-only "$(offered daxtrace cow --sort '')" "$keys"

events=$("$DAXTRACE" snoop --events x 2>&1 | sed -n 's/.*expected a list of //p' |
	sed 's/,//g; s/ or / /' | tr ' ' '\n')
expect_all completion/snoop-events "$events" "$(offered daxtrace snoop --events '')"
check completion/snoop-events-list "$(offered daxtrace snoop -e fault,mk)" fault,mkwrite

# the traced command after --
check completion/after-dashdash "$(offered daxtrace top -- daxtrace-no-such-comman)" ""
# (bash may be found twice: /bin and /usr/bin)
check completion/after-dashdash-command "$(offered daxtrace top -- bas | grep -x bash | sort -u)" bash
check completion/attach-whole-word "$(offered daxtrace top --attach=cl)" classic
exit 0
