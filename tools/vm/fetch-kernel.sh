#!/bin/sh
# Usage: fetch-kernel.sh SUITE        (SUITE: bookworm -> 6.1, trixie -> 6.12, sid -> 7.x)
#
# Downloads SUITE's current linux-image-amd64 kernel and modules from Debian and unpacks them
# into $DAXTRACE_CACHE/kernels/SUITE/VERSION/, laid out as:
#   vmlinuz  release (the uname -r string)  lib/modules/RELEASE/ (with modules.dep)
# Prints that directory as the last line of stdout. A version already unpacked is reused;
# without network the newest cached kernel of SUITE is used (with a warning on stderr).
set -eu

suite=${1:?usage: fetch-kernel.sh SUITE (bookworm, trixie or sid)}
cache=${DAXTRACE_CACHE:-$HOME/.cache/daxtrace}
kernels=$cache/kernels/$suite
apt=$cache/apt/$suite

# A private apt configuration: its own sources, lists, cache and an empty dpkg status, so the
# system's apt sources and state are never read or changed.
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

# linux-image-amd64 is a meta package. Its dependency closure holds the real kernel: on 6.1
# and 6.12 one linux-image-RELEASE-amd64 package; on 7.x linux-image-RELEASE-amd64 is itself
# a meta package over linux-binary-* (vmlinuz) and linux-modules-* (modules).
# shellcheck disable=SC2086 # apt_opts is a list of options
deps=$(apt-cache $apt_opts depends --recurse --no-recommends --no-suggests --no-conflicts \
	--no-breaks --no-replaces --no-enhances linux-image-amd64)
pkgs=$(echo "$deps" | grep -E '^linux-(image|binary|modules)-[0-9]' | sort -u | paste -sd ' ')
image=$(echo "$deps" | grep -m 1 '^linux-image-[0-9]' || true)
[ -n "$image" ] || { echo "fetch-kernel: no kernel image found for '$suite'" >&2; exit 1; }
# shellcheck disable=SC2086 # apt_opts is a list of options
version=$(apt-cache $apt_opts show --no-all-versions "$image" | sed -n 's/^Version: //p')
dir=$kernels/$version
if [ -e "$dir/.complete" ]; then
	echo "$dir"
	exit 0
fi

echo "fetch-kernel: downloading $suite kernel $version ($pkgs)" >&2
rm -rf "$dir" "$apt/debs" && mkdir -p "$dir/pkg" "$apt/debs"
# shellcheck disable=SC2086 # apt_opts and pkgs are lists of words
(cd "$apt/debs" && apt-get $apt_opts -qq download $pkgs)
for deb in "$apt/debs"/*.deb; do dpkg-deb -x "$deb" "$dir/pkg"; done

# Normalise the layout: /boot (6.1) or /usr/lib/modules/RELEASE/vmlinuz (7.x); modules under
# /lib/modules (6.1) or /usr/lib/modules (6.12, 7.x).
moddir=$(find "$dir/pkg" -path '*/lib/modules/*/kernel' -type d -printf '%h\n' | head -n 1)
release=$(basename "$moddir")
mkdir -p "$dir/lib/modules"
mv "$moddir" "$dir/lib/modules/$release"
for vmlinuz in "$dir/pkg/boot/vmlinuz-$release" "$dir/lib/modules/$release/vmlinuz"; do
	[ -e "$vmlinuz" ] && mv "$vmlinuz" "$dir/vmlinuz"
done
[ -e "$dir/vmlinuz" ] || { echo "fetch-kernel: no vmlinuz in $pkgs" >&2; exit 1; }
rm -rf "$dir/pkg" "$apt/debs"
# Debian's packages ship no modules.dep: postinst makes it. Make it here. 7.x packages lack
# modules.order and modules.builtin*: empty ones keep depmod from warning about them.
for f in modules.order modules.builtin modules.builtin.modinfo; do
	touch "$dir/lib/modules/$release/$f"
done
depmod -b "$dir" "$release"
echo "$release" >"$dir/release"
touch "$dir/.complete"
echo "$dir"
