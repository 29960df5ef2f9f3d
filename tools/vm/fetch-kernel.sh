#!/bin/sh
# Usage: fetch-kernel.sh SUITE        (SUITE: bullseye -> 5.10, bookworm -> 6.1, trixie -> 6.12,
#                                      sid -> 7.x; any suite with linux-image-amd64 in main)
#        fetch-kernel.sh --deb FILE [FILE...]   (linux-image .debs; a 7.x kernel is split in
#                                      linux-binary, linux-modules and linux-base (its config):
#                                      give all three)
#
# SUITE: downloads SUITE's current linux-image-amd64 kernel and modules from Debian and unpacks
# them into $DAXTRACE_CACHE/kernels/SUITE/VERSION/. --deb: unpacks the given packages into
# $DAXTRACE_CACHE/kernels/deb/SHA256/ (SHA256: of the packages' own sha256 sums, sorted), never
# downloading anything. Either way the directory is laid out as:
#   vmlinuz  release (the uname -r string)  config-RELEASE (the kernel's config, when the
#   packages ship one)  lib/modules/RELEASE/ (with modules.dep)
# Prints that directory as the last line of stdout. A version already unpacked is reused;
# without network the newest cached kernel of SUITE is used (with a warning on stderr).
set -eu

cache=${DAXTRACE_CACHE:-$HOME/.cache/daxtrace}

# unpack DIR PACKAGE...: the packages' kernel, config and modules into DIR, normalised. DIR/pkg
# is scratch space.
unpack() {
	dir=$1
	shift
	rm -rf "$dir" && mkdir -p "$dir/pkg"
	for deb in "$@"; do dpkg-deb -x "$deb" "$dir/pkg"; done
	# /boot (5.10, 6.1) or /usr/lib/modules/RELEASE/vmlinuz (7.x); modules under /lib/modules
	# (5.10, 6.1) or /usr/lib/modules (6.12, 7.x).
	moddir=$(find "$dir/pkg" -path '*/lib/modules/*/kernel' -type d -printf '%h\n' | head -n 1)
	[ -n "$moddir" ] || { echo "fetch-kernel: no lib/modules/RELEASE/kernel in $*" >&2; return 1; }
	release=$(basename "$moddir")
	mkdir -p "$dir/lib/modules"
	mv "$moddir" "$dir/lib/modules/$release"
	for vmlinuz in "$dir/pkg/boot/vmlinuz-$release" "$dir/lib/modules/$release/vmlinuz"; do
		[ -e "$vmlinuz" ] && mv "$vmlinuz" "$dir/vmlinuz"
	done
	[ -e "$dir/vmlinuz" ] || { echo "fetch-kernel: no vmlinuz in $*" >&2; return 1; }
	keep_config "$dir" "$release"
	rm -rf "$dir/pkg"
	# Debian's packages ship no modules.dep: postinst makes it. Make it here. 7.x packages lack
	# modules.order and modules.builtin*: empty ones keep depmod from warning about them.
	for f in modules.order modules.builtin modules.builtin.modinfo; do
		touch "$dir/lib/modules/$release/$f"
	done
	depmod -b "$dir" "$release"
	echo "$release" >"$dir/release"
	touch "$dir/.complete"
}

# keep_config DIR RELEASE: DIR/pkg's config-RELEASE (/boot on 5.10 to 6.12; on 7.x in the
# module directory, or none) as DIR/config-RELEASE.
keep_config() {
	for c in "$1/pkg/boot/config-$2" "$1/lib/modules/$2/config" "$1/pkg/usr/lib/modules/$2/config"; do
		if [ -e "$c" ]; then
			mv "$c" "$1/config-$2"
			return 0
		fi
	done
}

if [ "${1:-}" = --deb ]; then
	shift
	[ $# -gt 0 ] || { echo "usage: fetch-kernel.sh --deb FILE [FILE...]" >&2; exit 2; }
	for deb in "$@"; do
		dpkg-deb -f "$deb" Package >/dev/null ||
			{ echo "fetch-kernel: $deb: not a Debian package" >&2; exit 1; }
	done
	key=$(sha256sum "$@" | cut -d ' ' -f 1 | sort | sha256sum | cut -c 1-16)
	dir=$cache/kernels/deb/$key
	mkdir -p "$cache/kernels/deb"
	exec 9>"$dir.lock"
	flock 9
	if [ ! -e "$dir/.complete" ]; then
		echo "fetch-kernel: unpacking $* into $dir" >&2
		unpack "$dir" "$@"
	fi
	echo "$dir"
	exit 0
fi

suite=${1:?usage: fetch-kernel.sh SUITE (bullseye, bookworm, trixie or sid) | --deb FILE...}
kernels=$cache/kernels/$suite
apt=$cache/apt/$suite

# A private apt configuration: its own sources, lists, cache and an empty dpkg status, so the
# system's apt sources and state are never read or changed. Only SUITE's main: bullseye's point
# releases put its kernel in main (5.10.x), and the harness needs no security update of it.
mkdir -p "$apt/lists/partial" "$apt/cache/archives/partial" "$kernels"
echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian $suite main" \
	>"$apt/sources.list"
touch "$apt/status"
# One fetch per suite at a time: concurrent runs wait here rather than fight over apt's files.
exec 9>"$apt/fetch.lock"
flock 9
apt_opts="-o Dir::Etc::SourceList=$apt/sources.list -o Dir::Etc::SourceParts=/dev/null
	-o Dir::Etc::Preferences=/dev/null -o Dir::Etc::PreferencesParts=/dev/null
	-o Dir::State::Lists=$apt/lists -o Dir::State::status=$apt/status -o Dir::Cache=$apt/cache
	-o Dir::Cache::pkgcache=pkgcache.bin -o Dir::Cache::srcpkgcache=
	-o APT::Architecture=amd64 -o APT::Architectures=amd64 -o Acquire::Languages=none
	-o Acquire::Retries=0 -o Acquire::http::Timeout=20 -o APT::Sandbox::User=root"

newest_cached() {
	for d in "$kernels"/*/.complete; do [ -e "$d" ] && dirname "$d"; done |
		sort -V | tail -n 1
}

# An update that is current transfers only the InRelease file (or a few pdiffs on sid).
# shellcheck disable=SC2086 # apt_opts is a list of options
if ! apt-get $apt_opts -qq --error-on=any update >&2; then
	dir=$(newest_cached)
	if [ -z "$dir" ]; then
		echo "fetch-kernel: no '$suite' from the Debian archive (offline, or no such suite) and no kernel cached in $kernels" >&2
		exit 1
	fi
	echo "fetch-kernel: Debian archive unreachable; using the cached kernel $dir" >&2
	echo "$dir"
	exit 0
fi

# linux-image-amd64 is a meta package. Its dependency closure holds the real kernel: on 5.10 to
# 6.12 one linux-image-RELEASE-amd64 package; on 7.x linux-image-RELEASE-amd64 is itself a
# meta package over linux-binary-* (vmlinuz), linux-modules-* (modules) and linux-base-*
# (config, System.map, modules.builtin*).
# shellcheck disable=SC2086 # apt_opts is a list of options
deps=$(apt-cache $apt_opts depends --recurse --no-recommends --no-suggests --no-conflicts \
	--no-breaks --no-replaces --no-enhances linux-image-amd64)
pkgs=$(echo "$deps" | grep -E '^linux-(image|binary|modules|base)-[0-9]' | sort -u | paste -sd ' ')
image=$(echo "$deps" | grep -m 1 '^linux-image-[0-9]' || true)
[ -n "$image" ] || { echo "fetch-kernel: no kernel image found for '$suite'" >&2; exit 1; }
# shellcheck disable=SC2086 # apt_opts is a list of options
version=$(apt-cache $apt_opts show --no-all-versions "$image" | sed -n 's/^Version: //p')
dir=$kernels/$version
if [ -e "$dir/.complete" ] && { [ -e "$dir/config-$(cat "$dir/release")" ] || [ -e "$dir/.no-config" ]; }; then
	echo "$dir"
	exit 0
fi

rm -rf "$apt/debs" && mkdir -p "$apt/debs"
# shellcheck disable=SC2086 # apt_opts and pkgs are lists of words
if [ -e "$dir/.complete" ]; then
	# unpacked before the cache kept the config: only the config, from the packages again
	echo "fetch-kernel: downloading $suite kernel $version ($pkgs) for its config" >&2
	(cd "$apt/debs" && apt-get $apt_opts -qq download $pkgs)
	release=$(cat "$dir/release")
	rm -rf "$dir/pkg" && mkdir "$dir/pkg"
	for deb in "$apt/debs"/*.deb; do dpkg-deb -x "$deb" "$dir/pkg"; done
	keep_config "$dir" "$release"
	rm -rf "$dir/pkg"
	[ -e "$dir/config-$release" ] || touch "$dir/.no-config"
else
	echo "fetch-kernel: downloading $suite kernel $version ($pkgs)" >&2
	(cd "$apt/debs" && apt-get $apt_opts -qq download $pkgs)
	unpack "$dir" "$apt/debs"/*.deb
	[ -e "$dir/config-$release" ] || touch "$dir/.no-config"
fi
rm -rf "$apt/debs"
echo "$dir"
