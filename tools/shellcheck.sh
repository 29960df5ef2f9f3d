#!/bin/sh
# Runs `shellcheck -x` (default severity; settings in the top-level .shellcheckrc) on every
# tracked shell script: the *.sh files, and any other file whose first line is a sh, bash, dash
# or ash shebang (tools/vm/init), or whose first line names its shell to shellcheck (a sourced
# file: packaging/bash-completion/daxtrace). Prints nothing and exits 0 when they are all clean; otherwise
# exits with shellcheck's status.
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
exec shellcheck -x "$@"
