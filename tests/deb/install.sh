#!/bin/sh
# Usage: tests/deb/install.sh DEB
#
# Installs the package the way a user would, on a fresh Debian bookworm with nothing else: a
# minbase debootstrap into a scratch directory, `apt-get install ./daxtrace_*.deb` in it. Then
# checks that daxtrace runs there (--version, with the package's version), that the files are
# where the package says (daxtop, man pages, completion, the unit) and the exporter's unit is
# not enabled, and that apt pulled in runtime packages only: no -dev, no compiler, no clang or
# llvm, no debhelper. Prints the packages pulled in and how long each step took.
#
# Root and Debian's archive (network) needed; a few minutes. Not part of make check: make
# deb-check runs it. The downloaded packages are kept in $DAXTRACE_CACHE/debootstrap
# (~/.cache/daxtrace) for the next run. MIRROR overrides http://deb.debian.org/debian.
set -eu

deb=${1:?usage: install.sh DEB}
mirror=${MIRROR:-http://deb.debian.org/debian}
cache=${DAXTRACE_CACHE:-$HOME/.cache/daxtrace}/debootstrap
say() { echo "install.sh: $*"; }
failed=0
fail() {
	echo "FAIL deb/install/$1: $2"
	failed=1
}
pass() { echo "PASS deb/install/$1"; }

[ "$(id -u)" -eq 0 ] || {
	say "needs root (debootstrap, chroot)" >&2
	exit 1
}
[ -f "$deb" ] || {
	say "no $deb: make deb" >&2
	exit 1
}
version=$(dpkg-deb -f "$deb" Version)

root=$(mktemp -d /tmp/daxtrace-deb-root.XXXXXX)
# a system's root is 0755: apt's _apt user must reach /var/lib/apt/lists through it
chmod 0755 "$root"
# shellcheck disable=SC2317 # run by the EXIT trap
cleanup() {
	mountpoint -q "$root/proc" && umount "$root/proc"
	# never delete through a mount still in place
	mountpoint -q "$root/proc" || rm -rf "$root"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# seconds since START, to one decimal
elapsed() { awk -v s="$1" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }'; }

start=$(date +%s.%N)
mkdir -p "$cache"
if ! debootstrap --variant=minbase --cache-dir="$cache" bookworm "$root" "$mirror" \
	> "$root.debootstrap.log" 2>&1; then
	tail -20 "$root.debootstrap.log"
	say "debootstrap failed (log above)" >&2
	rm -f "$root.debootstrap.log"
	exit 1
fi
rm -f "$root.debootstrap.log"
say "debootstrap --variant=minbase bookworm: $(elapsed "$start") s"

mount -t proc proc "$root/proc"
in_root() {
	chroot "$root" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive "$@"
}
# shellcheck disable=SC2016 # dpkg-query's format, not the shell's
packages='${Package}\n'
in_root dpkg-query -W -f "$packages" | sort > "$root/tmp/before"
cp "$deb" "$root/tmp/"

start=$(date +%s.%N)
in_root apt-get update -qq
if ! in_root apt-get install -y -qq "/tmp/${deb##*/}" > "$root/tmp/apt.log" 2>&1; then
	cat "$root/tmp/apt.log"
	fail apt-install "apt-get install ./${deb##*/} failed in a fresh bookworm (log above)"
	exit 1
fi
pass apt-install
say "apt-get update and install: $(elapsed "$start") s"

in_root dpkg-query -W -f "$packages" | sort > "$root/tmp/after"
pulled=$(comm -13 "$root/tmp/before" "$root/tmp/after" | grep -vx daxtrace | tr '\n' ' ')
say "pulled in besides daxtrace: ${pulled:-nothing}"
build_time='-dev$|^(clang|llvm|libclang|libllvm|gcc|cpp|g\+\+|make|bpftool|debhelper|dpkg-dev|pkg-?conf)'
build_only=$(echo "$pulled" | tr ' ' '\n' | grep -E -- "$build_time" | tr '\n' ' ' || true)
if [ -n "$build_only" ]; then
	fail runtime-only "build-time packages pulled in: $build_only"
else
	pass runtime-only
fi

got=$(in_root daxtrace --version 2>&1) || true
say "daxtrace --version: $got"
case "$got" in
"daxtrace $version (git "*", libbpf "*")") pass version ;;
*) fail version "daxtrace --version in the fresh system: '$got', expected version $version" ;;
esac
got=$(in_root daxtop --help 2>&1 | head -n 1)
case "$got" in
"Usage: daxtrace top "*) pass daxtop ;;
*) fail daxtop "daxtop --help: '$got'" ;;
esac
got=$(in_root daxtrace-workload --help 2>&1 | head -n 1)
case "$got" in
"usage: daxtrace-workload "*) pass daxtrace-workload ;;
*) fail daxtrace-workload "daxtrace-workload --help: '$got'" ;;
esac

for file in /usr/share/man/man8/daxtrace.8.gz /usr/share/man/man8/daxtrace-top.8.gz \
	/usr/share/man/man8/daxtop.8.gz /usr/share/man/man1/daxtrace-workload.1.gz \
	/usr/share/bash-completion/completions/daxtrace \
	/usr/share/bash-completion/completions/daxtop \
	/usr/share/bash-completion/completions/daxtrace-workload \
	/lib/systemd/system/daxtrace-exporter.service; do
	if [ -e "$root$file" ]; then
		pass "file$file"
	else
		fail "file$file" "not installed"
	fi
done
if [ -e "$root/etc/systemd/system/multi-user.target.wants/daxtrace-exporter.service" ]; then
	fail unit-not-enabled "the package enabled daxtrace-exporter.service"
else
	pass unit-not-enabled
fi
exit $failed
