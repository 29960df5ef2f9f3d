#!/bin/sh
# Regenerates vmlinux/x86/vmlinux.h from a kernel's BTF (default: the running kernel's).
# The header only names types; CO-RE relocations make the programs fit each kernel at load
# time, so one header serves 6.1 through 7.x. Types a newer kernel dropped live in
# bpf/compat.bpf.h as ___flavour structs, not here.
set -eu
btf=${1:-/sys/kernel/btf/vmlinux}
out=${2:-$(dirname "$0")/../vmlinux/x86/vmlinux.h}
[ -r "$btf" ] || { echo "gen-vmlinux: cannot read BTF file $btf" >&2; exit 1; }
bpftool btf dump file "$btf" format c > "$out.tmp"
mv "$out.tmp" "$out"
echo "gen-vmlinux: wrote $out from $btf ($(wc -l < "$out") lines)"
