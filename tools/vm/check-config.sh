#!/bin/sh
# Usage: check-config.sh [--fs xfs|ext4] [--provider nvdimm|memmap|virtio] [--harness-only] CONFIG
#
# Checks a kernel's CONFIG (a .config, or Debian's /boot/config-RELEASE) against
# tools/vm/kernel.config, the fragment that says what the VM harness and each daxtrace command
# need (its `#@ WHO: COST` comment lines). Prints each missing option with who needs it and
# what it costs, and a last line with the verdict. --harness-only prints only what the harness
# itself needs (run.sh's check before every boot). --fs: which file system the harness will
# make (default xfs): harness(xfs) and harness(ext4) needs count for that one only; --provider
# likewise for harness(memmap) and harness(virtio) (run.sh --pmem-provider; default nvdimm).
# Exit status: 0 nothing the harness needs is missing (daxtrace commands may still lose
# something: see the lines printed), 1 the harness cannot run this kernel, 2 bad usage or an
# unreadable file.
set -eu
fs=xfs provider=nvdimm only=0
while [ $# -gt 0 ]; do
	case $1 in
	--fs) fs=${2:?--fs needs a value}; shift 2 ;;
	--provider) provider=${2:?--provider needs a value}; shift 2 ;;
	--harness-only) only=1; shift ;;
	--) shift; break ;;
	-*) echo "check-config: unknown option '$1'" >&2; exit 2 ;;
	*) break ;;
	esac
done
[ $# = 1 ] || { echo "usage: check-config.sh [--fs xfs|ext4] [--provider nvdimm|memmap|virtio] [--harness-only] CONFIG" >&2; exit 2; }
config=$1
fragment=$(dirname "$0")/kernel.config
{ [ -r "$config" ] && [ -f "$config" ]; } || { echo "check-config: cannot read the kernel config '$config'" >&2; exit 2; }
grep -q '^CONFIG_\|^# CONFIG_' "$config" || { echo "check-config: '$config' is not a kernel config" >&2; exit 2; }

awk -v fs="$fs" -v provider="$provider" -v only="$only" -v config="$config" '
FNR == NR {
	if ($0 ~ /^CONFIG_[A-Za-z0-9_]+=/) {
		eq = index($0, "=")
		have[substr($0, 1, eq - 1)] = substr($0, eq + 1)
	}
	next
}
/^#@ / {
	line = substr($0, 4)
	need[n_need++] = line
	next
}
/^CONFIG_[A-Za-z0-9_]+=/ {
	eq = index($0, "=")
	name = substr($0, 1, eq - 1)
	want = substr($0, eq + 1)
	sub(/[ \t].*/, "", want)
	v = (name in have) ? have[name] : ""
	# "=m satisfies =y": a tristate built as a module is loaded by the initramfs or modprobe
	# (not in a kernel without module support)
	ok = (want == "y" || want == "m") ? (v == "y" || (v == "m" && have["CONFIG_MODULES"] == "y")) : (v == want)
	if (!ok) {
		fatal = 0
		for (i = 0; i < n_need; i++) {
			colon = index(need[i], ":")
			who = substr(need[i], 1, colon - 1)
			cost = substr(need[i], colon + 2)
			nw = split(who, w, ",")
			hit = 0
			for (j = 1; j <= nw; j++)
				if (w[j] == "harness" || w[j] == "harness(" fs ")" || w[j] == "harness(" provider ")")
					hit = 1
			if (hit)
				fatal = 1
			if (hit || !only)
				printf "%s %s (%s): %s: %s\n", hit ? "MISSING" : "missing", name,
					v == "" ? "not set" : "=" v, who, cost
		}
		if (fatal)
			fatals = fatals (fatals == "" ? "" : ", ") name
		else
			others++
	}
	n_need = 0
	next
}
END {
	if (fatals != "") {
		printf "check-config: %s: the harness cannot run this kernel: it lacks %s\n", config, fatals
		exit 1
	}
	if (!only)
		printf "check-config: %s: nothing the harness needs is missing; %d option(s) daxtrace commands use are missing%s\n",
			config, others, others ? " (above)" : ""
}' "$config" "$fragment"
