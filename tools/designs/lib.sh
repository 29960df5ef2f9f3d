# shellcheck shell=sh # sourced by tools/designs/*.sh, all #!/bin/sh
# What the design workloads share: where dt-workload is, the directory they work in, sizes.
set -eu
WORKLOAD=${WORKLOAD:-${BUILD:-build}/tools/dt-workload}
DIR=${DIR:-${DAX_MNT:-/mnt/dax}}

# bytes SIZE: SIZE (a number with an optional k, m or g suffix, as dt-workload takes) in bytes,
# for the arithmetic of the expectations; numfmt refuses lower-case suffixes.
bytes() {
	case $1 in
	*[kK]) echo $((${1%?} * 1024)) ;;
	*[mM]) echo $((${1%?} * 1048576)) ;;
	*[gG]) echo $((${1%?} * 1073741824)) ;;
	*) echo $(($1)) ;;
	esac
}

# say WHAT: one progress line on stderr, so that stdout stays the caller's.
say() {
	echo "$(basename "$0"): $*" >&2
}

# xfs_io_script: xfs_io runs the commands on its stdin, one process for thousands of files,
# where a process per file would take minutes under TCG.
xfs_io_script() {
	xfs_io > /dev/null
}
