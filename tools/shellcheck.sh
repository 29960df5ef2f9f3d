#!/bin/sh
# Runs `shellcheck -x` (default severity; settings in the top-level .shellcheckrc) on every
# tracked shell script: the *.sh files, and any other file whose first line is a sh, bash, dash
# or ash shebang (tools/vm/init), or whose first line names its shell to shellcheck (a sourced
# file: packaging/bash-completion/daxtrace). Prints nothing and exits 0 when they are all clean; otherwise
# exits non-zero (xargs's 123). One shellcheck per CPU, a few files each: a single one took 22 s
# of make check on 2 cores, most of it parsing, which splits well (16 s under a load of 4).
cd "$(dirname "$0")/.." || exit
set --
while IFS= read -r f; do
	case $f in
	*.sh) set -- "$@" "$f" ;;
	*) if [ -f "$f" ] && head -n 1 "$f" |
		grep -Eq '^#!.*[/ ](ba|da|a|k)?sh( |$)|^# shellcheck shell='; then
		set -- "$@" "$f"
	fi ;;
	esac
done << EOF
$(git ls-files)
EOF
printf '%s\n' "$@" | xargs -d '\n' -P "$(nproc)" -n 4 shellcheck -x
