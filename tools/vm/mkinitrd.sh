#!/bin/sh
# Usage: mkinitrd.sh KERNEL_DIR OUT.cpio.gz [RELEASE]
#
# Builds the daxtrace guest initramfs for a kernel whose modules are in
# KERNEL_DIR/lib/modules/RELEASE/ (with modules.dep; as fetch-kernel.sh unpacks them, or as
# `make modules_install INSTALL_MOD_PATH=KERNEL_DIR` leaves them; RELEASE defaults to the
# content of KERNEL_DIR/release; a kernel with everything built in needs no module directory):
# busybox-static,
# tools/vm/init, and the modules needed to reach the host root over virtio-9p, overlay it, and
# use an emulated NVDIMM with XFS or ext4. Modules are stored decompressed, so that busybox's
# insmod loads them whatever compression the kernel uses, with their dependencies, in load
# order (listed in /modules).
set -eu

kdir=${1:?usage: mkinitrd.sh KERNEL_DIR OUT.cpio.gz}
out=${2:?usage: mkinitrd.sh KERNEL_DIR OUT.cpio.gz}
release=${3:-$(cat "$kdir/release")}
# crc32c_generic comes before libcrc32c and xfs: without a crc32c driver xfs fails to load.
# Names a kernel lacks (newer ones merged fscache into netfs and dropped libcrc32c) or has
# built in (Debian's 6.12 and 7.x build virtio in) are skipped.
wanted="virtio_ring virtio virtio_pci_legacy_dev virtio_pci_modern_dev virtio_pci
	netfs fscache 9pnet 9pnet_virtio 9p overlay
	libnvdimm nfit nd_btt nd_pmem
	crc32c_generic libcrc32c xfs crc16 mbcache jbd2 ext4"

root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root/bin" "$root/dev" "$root/proc" "$root/sys" "$root/lib/modules"
cp /bin/busybox "$root/bin/busybox"
cp "$(dirname "$0")/init" "$root/init"
: >"$root/modules"
skipped=""

for m in $wanted; do
	# -C /dev/null: the host's modprobe.d (ndctl's install rules, blacklists) must not apply.
	# Lines are "insmod PATH [OPTS]" in load order (softdeps included) or "builtin NAME".
	if ! deps=$(modprobe -C /dev/null -d "$kdir" -S "$release" --show-depends "$m" 2>/dev/null); then
		skipped="$skipped $m"
		continue
	fi
	echo "$deps" | while read -r kind path _; do
		[ "$kind" = insmod ] || continue
		name=$(basename "$path")
		name=${name%%.ko*}
		grep -qx "$name" "$root/modules" && continue
		# libcrc32c's softdep on 5.10: the guest CPU (qemu64) has no SSE4.2, so it cannot load
		[ "$name" = crc32c-intel ] && continue
		case $path in
		*.xz) xz -dc "$path" ;;
		*.zst) zstd -qdc "$path" ;;
		*) cat "$path" ;;
		esac >"$root/lib/modules/$name.ko"
		echo "$name" >>"$root/modules"
	done
done

if [ ! -d "$kdir/lib/modules/$release" ]; then
	echo "mkinitrd: $release: no modules in $kdir/lib/modules/$release: the kernel must have everything built in" >&2
elif [ -n "$skipped" ]; then
	echo "mkinitrd: $release: built in or gone, skipped:$skipped" >&2
fi
(cd "$root" && find . | cpio -o -H newc --quiet | gzip -6) >"$out.$$"
mv "$out.$$" "$out"
