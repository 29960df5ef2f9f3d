#!/bin/sh
# Usage: libbpf.sh OUTDIR
#
# Builds the libbpf that daxtrace links statically: OUTDIR/libbpf.a, OUTDIR/include/bpf/*.h,
# the kernel UAPI headers it was written against (OUTDIR/include/linux/bpf.h, btf.h: bookworm's
# linux-libc-dev 6.1 lacks, e.g., the kprobe link info's "missed") and OUTDIR/version, from Debian's libbpf source package of the pinned version. Why not bookworm's
# libbpf 1.1: its btf__load_vmlinux_btf() copies the whole vmlinux BTF (51 ms and 13 MB peak
# RSS on a 6.18 host), where 1.7 maps /sys/kernel/btf/vmlinux read-only (8.5 ms, 2.5 MB), on
# kernels that allow that mmap ("btf: Allow mmap of vmlinux btf", v6.16).
#
# The source is fetched once with apt-get through a private apt configuration (the system's
# sources and state are never read or changed) and kept in $DAXTRACE_CACHE/libbpf. When the
# pinned version has left the archive, the newest >= 1.6 there is built instead, with a
# warning: apt checks it against the archive's signed Sources index, and the pin below is the
# thing to update. Without network, a cached tarball of the pinned version is enough.
set -eu

pinned_version=1.7.0-1
pinned_tarball=libbpf_1.7.0.orig.tar.gz
pinned_sha256=7ab5feffbf78557f626f2e3e3204788528394494715a30fc2070fcddc2051b7b
oldest_usable=1.6

out=${1:?usage: libbpf.sh OUTDIR}
mkdir -p "$out" && out=$(cd "$out" && pwd)
cache=${DAXTRACE_CACHE:-$HOME/.cache/daxtrace}/libbpf
apt=$cache/apt
mkdir -p "$apt/lists/partial" "$apt/cache/archives/partial" "$cache/sources"

say() { echo "libbpf.sh: $*" >&2; }

sha256_ok() { [ "$(sha256sum "$1" | cut -d ' ' -f 1)" = "$2" ]; }

# libbpf 1.7.0 is in sid and forky; trixie has 1.5.0 and bookworm-backports 1.4.6.
for suite in sid forky; do
	echo "deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian $suite main"
done > "$apt/sources.list"
touch "$apt/status"
apt_opts="-o Dir::Etc::SourceList=$apt/sources.list -o Dir::Etc::SourceParts=/dev/null
	-o Dir::Etc::Preferences=/dev/null -o Dir::Etc::PreferencesParts=/dev/null
	-o Dir::State::Lists=$apt/lists -o Dir::State::status=$apt/status -o Dir::Cache=$apt/cache
	-o Dir::Cache::pkgcache= -o Dir::Cache::srcpkgcache= -o Acquire::Languages=none
	-o Acquire::Retries=1 -o Acquire::http::Timeout=20 -o APT::Sandbox::User=root"

# fetch VERSION: downloads that version's source files into $cache/sources.
fetch() {
	# shellcheck disable=SC2086 # apt_opts is a list of options
	(cd "$cache/sources" && apt-get $apt_opts -qq source --download-only "libbpf=$1" >&2)
}

# The newest libbpf source version in the archive, if it is at least $oldest_usable.
newest_usable() {
	# shellcheck disable=SC2086
	apt-cache $apt_opts showsrc libbpf 2> /dev/null | sed -n 's/^Version: //p' |
		sort -V | tail -n 1 |
		awk -v min="$oldest_usable" '{ split($0, v, /[.-]/); split(min, m, ".") }
			v[1] > m[1] || (v[1] == m[1] && v[2] >= m[2]) { print }'
}

one_at_a_time() {
	exec 9> "$cache/fetch.lock"
	flock 9
}

tarball=$cache/sources/$pinned_tarball
one_at_a_time
if [ ! -f "$tarball" ] || ! sha256_ok "$tarball" "$pinned_sha256"; then
	rm -f "$tarball"
	# shellcheck disable=SC2086
	if ! apt-get $apt_opts -qq update >&2; then
		say "cannot reach Debian's archive and libbpf $pinned_version is not cached in $cache/sources"
		exit 1
	fi
	if fetch "$pinned_version"; then
		if ! sha256_ok "$tarball" "$pinned_sha256"; then
			say "$pinned_tarball does not match its pinned SHA-256 ($pinned_sha256): refusing to build it"
			rm -f "$tarball"
			exit 1
		fi
	else
		version=$(newest_usable)
		if [ -z "$version" ]; then
			say "libbpf $pinned_version is gone from Debian's archive, and no libbpf >= $oldest_usable is there either"
			exit 1
		fi
		say "WARNING: the pinned libbpf $pinned_version is gone from Debian's archive; building $version, checked by apt against the signed Sources index (pin it in tools/libbpf.sh)"
		fetch "$version"
		for tarball in "$cache/sources/libbpf_${version%-*}.orig.tar."*; do break; done
	fi
fi

# Unpacked and built from scratch, so that OUTDIR never mixes two versions.
rm -rf "$out"
mkdir -p "$out/src"
tar -xf "$tarball" -C "$out/src" --strip-components=1
if ! make -C "$out/src/src" BUILD_STATIC_ONLY=1 OBJDIR="$out/obj" DESTDIR="$out" PREFIX= \
	INCLUDEDIR=/include UAPIDIR=/include all install_headers install_uapi_headers \
	> "$out/build.log" 2>&1; then
	cat "$out/build.log" >&2
	say "building libbpf failed (log above, kept in $out/build.log)"
	exit 1
fi
mv "$out/obj/libbpf.a" "$out/libbpf.a"
basename "$tarball" | sed 's/^libbpf_//; s/\.orig\.tar\..*//' > "$out/version"
say "built libbpf $(cat "$out/version") into $out"
