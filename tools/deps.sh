#!/bin/sh
# Installs, from Debian packages, everything daxtrace needs to build, test, benchmark and boot
# its emulated-NVDIMM guests. Idempotent: when every package is present it only checks, fast.
set -eu

# libclang-rt-14-dev: libFuzzer and the sanitizer runtimes for clang -fsanitize=fuzzer (make fuzz,
# the fuzz suite of make check); Debian ships it apart from clang-14.
# libmicrohttpd-dev: the HTTP server of `daxtrace exporter` (linked dynamically).
# libjson-c-dev: the JSON parser of `daxtrace diff` and `report`, reading records (record_file.c).
# debhelper, dpkg-dev: `make deb` (dpkg-buildpackage, dh, debian/control's Build-Depends).
# lintian: `make deb-check` fails on its errors. debootstrap: `make deb-check` installs the
# .deb into a fresh minbase bookworm (tests/deb/install.sh).
# bash-completion: the completion test sources packaging/bash-completion/daxtrace with it.
# systemd: `systemd-analyze verify` of packaging/daxtrace-exporter.service in make check.
# prometheus: the exporter's tests scrape it with Debian's prometheus and check with promtool.
# libncurses-dev: the interactive top and cow (ncursesw). tmux: their tests drive them in a
# terminal of a chosen size (tests/e2e/host/screen.sh).
# curl, python3: the exporter's tests, bench and soak (HTTP requests, free ports, bad clients).
packages="clang libclang-rt-14-dev llvm bpftool libelf-dev zlib1g-dev pkg-config make gcc
	clang-format shellcheck libcmocka-dev xfsprogs util-linux kmod cpio xz-utils zstd
	busybox-static ndctl qemu-system-x86 qemu-utils bpftrace time jq locales curl python3
	libmicrohttpd-dev libjson-c-dev debhelper dpkg-dev lintian debootstrap bash-completion systemd prometheus
	libncurses-dev tmux"

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
