#!/bin/sh
# packaging/daxtrace-exporter.service as systemd reads it: `systemd-analyze verify` must say
# nothing at all (an unknown key is only a warning there, exit 0, so any output fails), its
# man pages must exist in docs/, and `systemd-analyze security` must keep its exposure level.
# The unit is copied with ExecStart pointing at the built binary, which verify checks exists.
set -u
here=$(dirname "$0")
. "$here/lib.sh"
unit=$here/../../../packaging/daxtrace-exporter.service
docs=$here/../../../docs
# the exposure level the unit has ("OK"); a hardening line lost raises it
max_exposure=3.9

if ! command -v systemd-analyze > /dev/null; then
	skip systemd-unit "no systemd-analyze (make deps)"
	exit 0
fi
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
daxtrace=$(cd "$(dirname "$DAXTRACE")" && pwd)/$(basename "$DAXTRACE")
sed "s|^ExecStart=/usr/sbin/daxtrace|ExecStart=$daxtrace|" "$unit" > "$scratch/daxtrace-exporter.service"

out=$(systemd-analyze verify --man=no "$scratch/daxtrace-exporter.service" 2>&1)
status=$?
if [ $status -eq 0 ] && [ -z "$out" ]; then
	pass systemd-unit/verify
else
	fail systemd-unit/verify "exit status $status: $out"
fi

check systemd-unit/exec-start "$(sed -n 's/^ExecStart=//p' "$unit")" "/usr/sbin/daxtrace exporter"

# Documentation=man:PAGE(SECTION): docs/PAGE.SECTION, what the package installs.
# words: one line may hold several pages
# shellcheck disable=SC2013
for page in $(sed -n 's/^Documentation=//p' "$unit"); do
	file=$(echo "$page" | sed -n 's/^man:\([^(]*\)(\([0-9]\))$/\1.\2/p')
	if [ -z "$file" ]; then
		fail "systemd-unit/man/$page" "not a man:PAGE(SECTION) reference"
	elif [ -f "$docs/$file" ]; then
		pass "systemd-unit/man/$file"
	else
		fail "systemd-unit/man/$file" "no docs/$file"
	fi
done

level=$(systemd-analyze security --offline=true "$scratch/daxtrace-exporter.service" 2>&1 |
	sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\) .*/\1/p')
if [ -z "$level" ]; then
	fail systemd-unit/exposure "systemd-analyze security printed no exposure level"
elif awk -v l="$level" -v m="$max_exposure" 'BEGIN { exit !(l <= m) }'; then
	pass systemd-unit/exposure
else
	fail systemd-unit/exposure "exposure level $level, above the unit's $max_exposure"
fi
exit 0
