#!/bin/sh
# Docs that cannot drift: every command's --help against its man page's OPTIONS, the sort keys
# and the JSON keys of top and cow against the code (tests/e2e/host/manpages.py says how).
set -u
here=$(dirname "$0")
. "$here/lib.sh"

# The JSON keys need a report, which needs BPF: root only. The options and sort keys need none.
if [ "$(id -u)" -eq 0 ]; then
	python3 "$here/manpages.py" "$DAXTRACE" "$here/../../../docs" json
else
	skip manpages/json "needs root (BPF)"
	python3 "$here/manpages.py" "$DAXTRACE" "$here/../../../docs"
fi || fail manpages "manpages.py stopped (exit status $?)"
exit 0
