#!/bin/sh
# Installs, from Debian packages, everything daxtrace needs to build, test, benchmark and boot
# its emulated-NVDIMM guests. Idempotent: when every package is present it only checks, fast.
set -eu

# libclang-rt-14-dev: libFuzzer and the sanitizer runtimes for clang -fsanitize=fuzzer (make fuzz,
# the fuzz suite of make check); Debian ships it apart from clang-14.
packages="clang libclang-rt-14-dev llvm bpftool libelf-dev zlib1g-dev pkg-config make gcc
	clang-format shellcheck libcmocka-dev xfsprogs util-linux kmod cpio xz-utils zstd
	busybox-static ndctl qemu-system-x86 qemu-utils bpftrace time jq locales curl
	libmicrohttpd-dev"

missing=""
for pkg in $packages; do
	status=$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null || true)
	[ "$status" = installed ] || missing="$missing $pkg"
done

if [ -z "$missing" ]; then
	[ -n "${DAXTRACE_DEPS_QUIET:-}" ] || echo "deps: all packages present"
	exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
	echo "deps: missing packages:$missing; run as root (or: sudo apt-get install$missing)" >&2
	exit 1
fi
echo "deps: installing:$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086 # the list is meant to split into words
apt-get install -y -qq --no-install-recommends $missing >/dev/null
echo "deps: installed:$missing"
