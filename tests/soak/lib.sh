# shellcheck shell=bash # sourced by tests/soak/run.sh and exporter.sh, both bash
# The soaks' common set-up (sourced): a private mount namespace, the output directory, a loop
# XFS, and the cleanup that stops what they started ($pids) and unmounts it. The caller sets
# soak_name (for messages) and out first, and defines die().
# shellcheck disable=SC2154 # soak_name and out: set by the sourcing script

# soak_enter_namespace "$@": re-runs the calling script in a private mount namespace, where the
# loop XFS is seen by nobody else and cannot outlive the run even if the script is killed with
# SIGKILL (-o loop sets autoclear: the namespace's end detaches the loop device).
soak_enter_namespace() {
	if [ -z "${SOAK_IN_NAMESPACE:-}" ]; then
		SOAK_IN_NAMESPACE=1 exec unshare --mount --propagation private "$0" "$@"
	fi
}

# soak_cleanup: stops $pids (SIGTERM, then waits), unmounts, removes the work directory.
# shellcheck disable=SC2317 # run by the EXIT trap
soak_cleanup() {
	trap - EXIT INT TERM
	for pid in $pids; do
		kill -TERM "$pid" 2> /dev/null
	done
	for pid in $pids; do
		wait "$pid" 2> /dev/null
	done
	mountpoint -q "$mnt" 2> /dev/null && umount "$mnt"
	# Never delete into a file system still mounted.
	mountpoint -q "$mnt" 2> /dev/null || rm -rf "$workdir"
}

# soak_mount_xfs SIZE: $out emptied, a sparse image of SIZE with XFS (reflink) on $mnt, its
# device in $devno; the cleanup trap set.
soak_mount_xfs() {
	mkdir -p "$out" || die "cannot create $out"
	rm -f "$out"/*
	workdir=$(mktemp -d "/tmp/daxtrace-$soak_name.XXXXXX") || die "mktemp"
	mnt=$workdir/mnt
	pids=""
	trap soak_cleanup EXIT
	trap 'echo "$soak_name: interrupted" >&2; exit 130' INT TERM
	truncate -s "$1" "$workdir/img"
	mkfs.xfs -q -f -m reflink=1 "$workdir/img" || die "mkfs.xfs"
	mkdir "$mnt"
	mount -o loop "$workdir/img" "$mnt" || die "mount"
	# shellcheck disable=SC2034 # read by the sourcing script
	devno=$(mountpoint -d "$mnt")
}
