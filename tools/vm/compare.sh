#!/bin/bash
# Usage: compare.sh --base KERNEL --new KERNEL [--repeat N] [--keep DIR] [--parallel]
#                   [--run-opt ARG]... [--diff-opt ARG]... [-- WORKLOAD [ARG...]]
#
# Runs WORKLOAD under `daxtrace record` in a guest of each KERNEL (tools/vm/run.sh, with --out)
# and compares the two records with `daxtrace diff base.json new.json` on the host: prints the
# diff and exits with its status (0 same, 1 regression, 125 cannot compare, 2 bad input).
#
# KERNEL is one of:
#   SUITE                  a Debian suite: bullseye, bookworm, trixie, sid (run.sh --kernel)
#   image:BZIMAGE[:MODDIR] a kernel image and its modules_install directory (--kernel-image,
#                          --modules)
#   tree:DIR               a built kernel tree (--kernel-tree)
#   deb:FILE[:FILE...]     linux-image .deb(s) (--kernel-deb, once per FILE)
# Paths must not contain ':'.
#
# In each guest: "$BUILD"/daxtrace record -o "$DT_OUT/record.json" --repeat N -- WORKLOAD
# (BUILD: the environment's, default build, as an absolute path; N default 1; WORKLOAD default
# tools/vm/vm-farm.sh, with BUILD in its environment). The records are kept in DIR/base/ and
# DIR/new/ (--keep DIR, made if missing; default a new /tmp/dtcompare.XXXXXX), with each
# guest's stdout and stderr (run.log); DIR is named on stderr.
# --run-opt ARG: one more run.sh option for both guests (repeat it: --run-opt --fs
#   --run-opt ext4, --run-opt --kvm). --diff-opt ARG: one more word for daxtrace diff (repeat
#   it: --diff-opt --threshold --diff-opt faults=5%, --diff-opt --json).
# --parallel boots the two guests at once (each runs on one host thread), else one after the
# other.
# Exit status: daxtrace diff's; 2 for a usage error here; 125 when a record could not be made
# (no kernel, the guest failed, record failed or wrote no file): what failed is on stderr.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
base="" new="" repeat=1 keep="" parallel=0 run_opts=() diff_opts=()

usage() {
	echo "compare.sh: $*" >&2
	echo "usage: compare.sh --base KERNEL --new KERNEL [--repeat N] [--keep DIR] [--parallel] [--run-opt ARG]... [--diff-opt ARG]... [-- WORKLOAD...]" >&2
	exit 2
}
fail() {
	echo "compare.sh: $*" >&2
	exit 125
}

while [ $# -gt 0 ]; do
	case $1 in
	--base | --new | --repeat | --keep | --run-opt | --diff-opt)
		[ $# -ge 2 ] || usage "$1 needs a value" ;;
	esac
	case $1 in
	--base) base=$2; shift 2 ;;
	--new) new=$2; shift 2 ;;
	--repeat) repeat=$2; shift 2 ;;
	--keep) keep=$2; shift 2 ;;
	--parallel) parallel=1; shift ;;
	--run-opt) run_opts+=("$2"); shift 2 ;;
	--diff-opt) diff_opts+=("$2"); shift 2 ;;
	-h | --help) sed -n '2,/^set /{/^set /d;s/^# \{0,1\}//p}' "$0"; exit 0 ;;
	--) shift; break ;;
	*) usage "unknown option '$1'" ;;
	esac
done
[ -n "$base" ] || usage "no --base KERNEL"
[ -n "$new" ] || usage "no --new KERNEL"
case $repeat in '' | *[!0-9]* | 0) usage "bad --repeat '$repeat' (a positive number)" ;; esac

# kernel_args KERNEL: run.sh's options for KERNEL, one per line (paths checked here).
kernel_args() {
	local spec=$1 kind rest f
	case $spec in
	image:* | tree:* | deb:*) kind=${spec%%:*} rest=${spec#*:} ;;
	*:*) usage "unknown kernel form '$spec' (SUITE, image:BZIMAGE[:MODDIR], tree:DIR or deb:FILE[:FILE...])" ;;
	*) kind=suite rest=$spec ;;
	esac
	[ -n "$rest" ] || usage "'$spec': nothing after '$kind:'"
	case $kind in
	suite)
		case $rest in -* | */*) usage "'$spec' is not a suite name" ;; esac
		printf '%s\n' --kernel "$rest"
		;;
	image)
		f=${rest%%:*}
		[ -f "$f" ] || usage "'$spec': no such image '$f'"
		printf '%s\n' --kernel-image "$(realpath "$f")"
		if [ "$rest" != "$f" ]; then
			[ -d "${rest#*:}" ] || usage "'$spec': no such module directory '${rest#*:}'"
			printf '%s\n' --modules "$(realpath "${rest#*:}")"
		fi
		;;
	tree)
		[ -d "$rest" ] || usage "'$spec': no such directory"
		printf '%s\n' --kernel-tree "$(realpath "$rest")"
		;;
	deb)
		local IFS=:
		for f in $rest; do
			[ -f "$f" ] || usage "'$spec': no such package '$f'"
			printf '%s\n' --kernel-deb "$(realpath "$f")"
		done
		;;
	esac
}
# in a subshell a usage error would only end the subshell: check first, then collect
kernel_args "$base" >/dev/null
kernel_args "$new" >/dev/null
# shellcheck disable=SC2034 # read by record() through a nameref
mapfile -t base_args < <(kernel_args "$base")
# shellcheck disable=SC2034 # read by record() through a nameref
mapfile -t new_args < <(kernel_args "$new")

BUILD=$(realpath -m "${BUILD:-build}")
[ -x "$BUILD/daxtrace" ] || fail "no $BUILD/daxtrace (make, or set BUILD)"
workload=("$@")
[ $# -gt 0 ] || workload=("$top/tools/vm/vm-farm.sh")

if [ -n "$keep" ]; then
	mkdir -p "$keep" || fail "cannot make --keep directory '$keep'"
	dir=$(realpath "$keep")
else
	dir=$(mktemp -d /tmp/dtcompare.XXXXXX)
fi
echo "compare.sh: records in $dir" >&2

# record SIDE: one guest of SIDE's kernel (SIDE_args); DIR/SIDE/record.json, DIR/SIDE/run.log
# (the guest's stdout and stderr) and DIR/SIDE/status (run.sh's exit status).
record() {
	local side=$1 status=0
	local -n kargs=${side}_args
	rm -rf "${dir:?}/$side" && mkdir -p "$dir/$side"
	# shellcheck disable=SC2016 # expanded by the guest's sh, where DT_OUT is set
	"$here/run.sh" "${kargs[@]}" "${run_opts[@]}" --out "$dir/$side" -- \
		env BUILD="$BUILD" sh -c 'b=$1 n=$2; shift 2; exec "$b/daxtrace" record -o "$DT_OUT/record.json" --repeat "$n" -- "$@"' \
		sh "$BUILD" "$repeat" "${workload[@]}" >"$dir/$side/run.log" 2>&1 || status=$?
	echo "$status" >"$dir/$side/status"
}
side_ok() {
	local status
	status=$(cat "$dir/$1/status")
	if [ "$status" != 0 ] || [ ! -s "$dir/$1/record.json" ]; then
		tail -n 20 "$dir/$1/run.log" | sed "s/^/$1: /" >&2
		echo "compare.sh: the $1 kernel ($2) gave no record (exit $status; $dir/$1/run.log)" >&2
		return 1
	fi
}

if [ "$parallel" = 1 ]; then
	record base &
	record new &
	wait
else
	record base
	record new
fi
ok=1
side_ok base "$base" || ok=0
side_ok new "$new" || ok=0
[ "$ok" = 1 ] || exit 125

status=0
"$BUILD/daxtrace" diff "${diff_opts[@]}" "$dir/base/record.json" "$dir/new/record.json" || status=$?
exit "$status"
