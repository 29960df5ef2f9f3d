#!/bin/bash
# Usage: run.sh [KERNEL] [OPTIONS] [-- COMMAND [ARG...]]   (--help: this text)
#
# KERNEL, one of (default: --kernel sid):
#   --kernel SUITE        a Debian kernel: bullseye (5.10), bookworm (6.1), trixie (6.12), sid
#                         (7.x), or any suite with linux-image-amd64 (tools/vm/fetch-kernel.sh)
#   --kernel-image BZIMAGE [--modules DIR]
#                         a kernel image; DIR as `make modules_install INSTALL_MOD_PATH=DIR`
#                         leaves it (DIR/lib/modules/RELEASE/); RELEASE is DIR's only release,
#                         else the bzImage's version string. No --modules: all built in.
#   --kernel-tree DIR     a built kernel tree: DIR/arch/x86/boot/bzImage, DIR/.config, and its
#                         modules installed into a temporary directory (if CONFIG_MODULES)
#   --kernel-deb FILE     a linux-image .deb, unpacked into a cache dir keyed by its sha256;
#                         repeat it for a 7.x kernel split into linux-binary, linux-modules and
#                         linux-base (the config)
# OPTIONS:
#   --cpus N (2)  --mem SIZE (2G)  --pmem-size SIZE (1G; --pmem is the old spelling)
#   --fs xfs|ext4 (xfs)  --mkfs-opts "..."  --append "ARGS" (more kernel command line)
#   --pmem-provider nvdimm|memmap|virtio (nvdimm)
#                 what gives the guest its pmem: nvdimm, an emulated NVDIMM (ACPI NFIT);
#                 memmap, guest RAM reserved with memmap=SIZE!OFFSET (e820 type 12, nd_e820:
#                 one raw namespace with struct pages, DAX-capable as it is), after --mem, so QEMU gets --mem plus
#                 --pmem-size plus 256M of RAM (below 3.5G, where the pc machine keeps all of it
#                 below 4G); virtio, a virtio-pmem-pci device (asynchronous: no MAP_SYNC)
#   --kvm         -accel kvm if /dev/kvm opens read-write, else TCG (said on stderr)
#   --out DIR     DIR (made if missing) shared writable into the guest at the same path,
#                 which COMMAND finds in $DT_OUT: how files get out of the guest
#   --timeout SEC (300)  --interactive  --keep-log FILE
#   --check-config [CONFIG]
#                 check CONFIG (default: the selected kernel's config) against
#                 tools/vm/kernel.config and print what is missing and what it costs. Without
#                 COMMAND: only that, exit 0 if the harness has all it needs, else 1. With
#                 COMMAND: boot only if it has.
#
# Boots the kernel under QEMU (TCG unless --kvm) with pmem (--pmem-provider) as /dev/pmem0,
# DAX-mounted on /mnt/dax, and runs COMMAND there as root, in the current directory: the guest
# sees the host's root read-only under a tmpfs overlay, so the host's binaries and this tree are
# at the same paths and the guest's writes are thrown away (except in --out). DAX_MNT, DAX_DEV,
# DAX_PROVIDER (--pmem-provider's) and DT_OUT (with --out) are exported.
# COMMAND's stdout and stderr come back as run.sh's (kept apart, streamed as they are written),
# and its exit status is run.sh's. Run several commands in one boot with a script or sh -c.
# run.sh's own failures: 124 = timeout (default 300 s), 125 = bad options, no kernel, a kernel
# config lacking what the harness needs (checked before booting when the config is known), or
# the guest could not be booted or set up or stopped before COMMAND ended; the console log is
# kept and its path printed.
# --interactive gives a root shell on the console instead of COMMAND (leaving it powers off;
# Ctrl-A X quits QEMU).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
cache=${DAXTRACE_CACHE:-$HOME/.cache/daxtrace}
suite="" image="" modules="" tree="" debs=()
pmem=1G provider=nvdimm fs=xfs mkfs_opts="" timeout=300 interactive=0 keep_log=""
cpus=2 mem=2G append="" kvm=0 out="" check=0 check_file=""

die() {
	echo "run.sh: $*" >&2
	exit 125
}
while [ $# -gt 0 ]; do
	case $1 in
	--kernel | --kernel-image | --modules | --kernel-tree | --kernel-deb | --pmem | --pmem-size | \
		--pmem-provider | --fs | --mkfs-opts | --timeout | --keep-log | --cpus | --mem | --append | --out)
		[ $# -ge 2 ] || die "$1 needs a value" ;;
	esac
	case $1 in
	--kernel) suite=$2; shift 2 ;;
	--kernel-image) image=$2; shift 2 ;;
	--modules) modules=$2; shift 2 ;;
	--kernel-tree) tree=$2; shift 2 ;;
	--kernel-deb) debs+=("$2"); shift 2 ;;
	--pmem | --pmem-size) pmem=$2; shift 2 ;;
	--pmem-provider) provider=$2; shift 2 ;;
	--fs) fs=$2; shift 2 ;;
	--mkfs-opts) mkfs_opts=$2; shift 2 ;;
	--timeout) timeout=$2; shift 2 ;;
	--interactive) interactive=1; shift ;;
	--keep-log) keep_log=$2; shift 2 ;;
	--cpus) cpus=$2; shift 2 ;;
	--mem) mem=$2; shift 2 ;;
	--append) append=$2; shift 2 ;;
	--kvm) kvm=1; shift ;;
	--out) out=$2; shift 2 ;;
	--check-config=*) check=1 check_file=${1#*=}; shift ;;
	--check-config)
		check=1
		shift
		# the optional CONFIG: the next word, unless it is an option or the --
		if [ $# -gt 0 ] && [ "${1#-}" = "$1" ]; then
			check_file=$1
			shift
		fi
		;;
	--help | -h)
		# the usage: this file's opening comment
		sed -n '2,/^set -euo pipefail$/{/^set /d;s/^# \{0,1\}//;p}' "$0"
		exit 0
		;;
	--) shift; break ;;
	*) die "unknown option '$1' (see the usage at the top of $0)" ;;
	esac
done
forms=0
for f in "$suite" "$image" "$tree" "${debs[*]}"; do
	[ -z "$f" ] || forms=$((forms + 1))
done
[ "$forms" -le 1 ] || die "give one kernel: --kernel, --kernel-image, --kernel-tree or --kernel-deb"
[ -z "$modules" ] || [ -n "$image" ] || die "--modules goes with --kernel-image"
[ "$forms" = 1 ] || suite=sid
case $fs in xfs | ext4) ;; *) die "--fs must be xfs or ext4" ;; esac
case $provider in nvdimm | memmap | virtio) ;; *) die "--pmem-provider must be nvdimm, memmap or virtio" ;; esac
case $cpus in '' | *[!0-9]* | 0) die "bad --cpus '$cpus' (a positive number)" ;; esac
case $timeout in '' | *[!0-9]*) die "bad --timeout '$timeout' (seconds)" ;; esac
check_only=0
if [ $# = 0 ] && [ "$interactive" = 0 ]; then
	[ "$check" = 1 ] || die "no COMMAND given (run.sh [OPTIONS] -- COMMAND [ARG...])"
	check_only=1
fi
bytes=$(numfmt --from=iec "$pmem" 2>/dev/null) || die "bad --pmem-size '$pmem'"
pmem_mib=$((bytes / 1048576))
# mkfs.xfs wants a 64 MiB log, more than an fsdax namespace of 512M leaves room for
[ "$fs" != xfs ] || [ "$pmem_mib" -ge 1024 ] || die "--pmem-size '$pmem' is too small for xfs (1G at least)"
[ "$pmem_mib" -ge 64 ] || die "--pmem-size '$pmem' is too small (64M at least)"
bytes=$(numfmt --from=iec "$mem" 2>/dev/null) || die "bad --mem '$mem'"
mem_mib=$((bytes / 1048576))
[ "$mem_mib" -ge 256 ] || die "--mem '$mem' is too small (256M at least)"
# memmap= reserves guest RAM: the pmem follows --mem, then 256M that the firmware's tables at
# the top of low RAM (SeaBIOS's ACPI tables, e820 reserved) may take. The pc machine keeps RAM
# below 3.5G under 4G in one piece; more would split it around the PCI hole.
ram_mib=$mem_mib
if [ "$provider" = memmap ]; then
	ram_mib=$((mem_mib + pmem_mib + 256))
	[ "$ram_mib" -le 3584 ] || die "--pmem-provider memmap: --mem plus --pmem-size plus 256M must stay within 3.5G (${ram_mib}M)"
	append="memmap=${pmem_mib}M!${mem_mib}M${append:+ $append}"
fi
if [ -n "$out" ]; then
	mkdir -p "$out" || die "cannot make --out directory '$out'"
	out=$(cd "$out" && pwd -P)
fi

# bzimage_release BZIMAGE: the release in the x86 boot header's kernel version string.
bzimage_release() {
	local off
	[ "$(dd if="$1" bs=1 skip=514 count=4 2>/dev/null)" = HdrS ] || return 1
	off=$(od -An -tu2 -j 526 -N 2 "$1" | tr -d ' ')
	[ -n "$off" ] && [ "$off" -gt 0 ] || return 1
	dd if="$1" bs=1 skip=$((off + 512)) count=256 2>/dev/null | tr '\0' '\n' | head -n 1 | cut -d ' ' -f 1
}

# check_config CONFIG: tools/vm/check-config.sh, all it finds with --check-config, else only
# what the harness needs. Before any boot, so that a kernel without 9p, DAX or an NVDIMM driver
# gets a message naming what it lacks instead of a hang. Exits unless the guest may boot.
check_config() {
	local status=0
	if [ "$check" = 1 ]; then
		"$here/check-config.sh" --fs "$fs" --provider "$provider" "$1" >&2 || status=$?
	else
		"$here/check-config.sh" --fs "$fs" --provider "$provider" --harness-only "$1" >&2 || status=$?
	fi
	case $status in
	0) [ "$check_only" = 0 ] || exit 0 ;;
	1) [ "$check_only" = 0 ] || exit 1
		die "not booting that kernel: its config lacks what the harness needs (above)" ;;
	*) die "cannot check the kernel config '$1'" ;;
	esac
}
# An explicit CONFIG is checked first: no download, no unpacking for a kernel refused anyway.
[ -z "$check_file" ] || check_config "$check_file"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/dtvm.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# The kernel: vmlinuz, modroot (holding lib/modules/RELEASE/, or none), release, its config
# when known, and where its initramfs lives (cached beside a fetched or unpacked kernel).
config="" cached_initrd=1
if [ -n "$suite" ] || [ ${#debs[@]} -gt 0 ]; then
	if [ -n "$suite" ]; then
		label=$suite
		kdir=$("$here/fetch-kernel.sh" "$suite" | tail -n 1) || die "no $suite kernel"
	else
		label=deb
		for f in "${debs[@]}"; do [ -f "$f" ] || die "--kernel-deb '$f': no such file"; done
		kdir=$("$here/fetch-kernel.sh" --deb "${debs[@]}" | tail -n 1) || die "cannot unpack ${debs[*]}"
	fi
	vmlinuz=$kdir/vmlinuz modroot=$kdir release=$(cat "$kdir/release")
	[ ! -e "$kdir/config-$release" ] || config=$kdir/config-$release
	initrd=$kdir/initrd.cpio.gz
elif [ -n "$image" ]; then
	label=image cached_initrd=0
	[ -f "$image" ] || die "--kernel-image '$image': no such file"
	vmlinuz=$(realpath "$image")
	release=$(bzimage_release "$vmlinuz") || release=""
	modroot=""
	if [ -n "$modules" ]; then
		[ -d "$modules/lib/modules" ] || die "--modules '$modules': no lib/modules/RELEASE/ in it (give the INSTALL_MOD_PATH of make modules_install)"
		modules=$(realpath "$modules")
		mapfile -t rels < <(cd "$modules/lib/modules" && for d in */; do [ -d "$d" ] && echo "${d%/}"; done)
		if [ ${#rels[@]} = 1 ]; then
			release=${rels[0]}
		elif [ -z "$release" ] || [ ! -d "$modules/lib/modules/$release" ]; then
			die "--modules '$modules': ${#rels[@]} releases in lib/modules/ (${rels[*]}), and the bzImage names ${release:-none} of them"
		fi
		modroot=$modules
		if [ ! -e "$modules/lib/modules/$release/modules.dep" ]; then
			# depmod into a copy made of symbolic links: the user's DIR is never written
			mkdir -p "$tmp/mods/lib/modules"
			cp -rs "$modules/lib/modules/$release" "$tmp/mods/lib/modules/"
			depmod -b "$tmp/mods" "$release" || die "depmod failed on '$modules'"
			modroot=$tmp/mods
		fi
	fi
	[ -n "$release" ] || die "--kernel-image '$image': not an x86 bzImage with a version string"
	# its config, if one lies where Debian or fetch-kernel.sh puts it
	configs=("$(dirname "$vmlinuz")/config-$release")
	[ -z "$modules" ] || configs+=("$modules/config-$release" "$modules/boot/config-$release"
		"$modules/lib/modules/$release/config")
	for c in "${configs[@]}"; do
		[ ! -f "$c" ] || { config=$c; break; }
	done
	initrd=$tmp/initrd.cpio.gz
else
	label=tree cached_initrd=0
	tree=$(realpath "$tree") || die "--kernel-tree: no such directory"
	vmlinuz=$tree/arch/x86/boot/bzImage
	[ -f "$vmlinuz" ] || die "--kernel-tree '$tree': no arch/x86/boot/bzImage (build it first)"
	[ -f "$tree/.config" ] || die "--kernel-tree '$tree': no .config"
	config=$tree/.config
	release=$(cat "$tree/include/config/kernel.release" 2>/dev/null) ||
		release=$(bzimage_release "$vmlinuz") || die "--kernel-tree '$tree': no kernel release found"
	modroot=""
	initrd=$tmp/initrd.cpio.gz
fi
if [ -z "$check_file" ]; then
	if [ -n "$config" ]; then
		check_config "$config"
	elif [ "$check" = 1 ]; then
		die "no kernel config known for this $label kernel: give --check-config CONFIG"
	fi
fi

if [ -n "$tree" ] && grep -q '^CONFIG_MODULES=y' "$tree/.config"; then
	echo "run.sh: make -C $tree modules_install INSTALL_MOD_PATH=<temp dir>" >&2
	make -s -C "$tree" modules_install INSTALL_MOD_PATH="$tmp/mods" >"$tmp/modules_install.log" 2>&1 || {
		tail -n 20 "$tmp/modules_install.log" >&2
		die "make modules_install failed in '$tree'"
	}
	modroot=$tmp/mods
fi
if [ "$cached_initrd" = 0 ] || [ ! -e "$initrd" ] || [ "$here/mkinitrd.sh" -nt "$initrd" ] ||
	[ "$here/init" -nt "$initrd" ]; then
	"$here/mkinitrd.sh" "${modroot:-$tmp/no-modules}" "$initrd" "$release" || die "mkinitrd.sh failed"
fi

mkdir "$tmp/out"
: >"$tmp/out/stdout"
: >"$tmp/out/stderr"
# the NVDIMM's or virtio-pmem's backing file (memmap= takes guest RAM instead)
[ "$provider" = memmap ] || truncate -s "${pmem_mib}M" "$tmp/pmem.img"
# The job, read by guest.sh through the read-only host root.
{
	printf 'FS=%q MKFS_OPTS=%q INTERACTIVE=%q PROVIDER=%q\n' "$fs" "$mkfs_opts" "$interactive" "$provider"
	printf 'MODROOT=%q RELEASE=%q OUT=%q WORKDIR=%q\n' "$modroot" "$release" "$out" "$PWD"
	printf 'CONFIG=%q\n' "$config"
	printf 'CMD=('
	printf '%q ' "$@"
	printf ')\n'
} >"$tmp/job.sh"

# +rdrand seeds the guest's RNG at boot: without it ndctl waits seconds for entropy under TCG.
# thread=single runs all vCPUs in one host thread: with multi-threaded TCG, kernel text patching
# (text_poke_bp: static keys, kprobes, fentry trampolines) raced with the other vCPU executing
# the patched code. Seen as a 7.2 boot oops (int3 in sched_clock_cpu) and as a 6.1 call to
# address 0 from lru_add_fn (folio_mapping being patched at attach), neither daxtrace's code.
# shellcheck disable=SC2054 # QEMU options are comma-separated lists
accel=(-accel tcg,thread=single -cpu qemu64,+rdrand)
if [ "$kvm" = 1 ]; then
	# a character device first: `<>` would create a missing /dev/kvm as a file
	if [ -c /dev/kvm ] && (: <>/dev/kvm) 2>/dev/null; then
		accel=(-accel kvm -cpu host)
	else
		echo "run.sh: --kvm: /dev/kvm cannot be opened read-write; using TCG" >&2
	fi
fi
# QEMU's option values double their commas
q_out=${out//,/,,}
# shellcheck disable=SC2054 # QEMU options are comma-separated lists
case $provider in
nvdimm)
	pmem_qemu=(-machine pc,nvdimm=on -m "${mem_mib}M,slots=2,maxmem=$((mem_mib + pmem_mib))M"
		-object "memory-backend-file,id=mem1,share=on,mem-path=$tmp/pmem.img,size=${pmem_mib}M"
		-device nvdimm,id=nv1,memdev=mem1)
	;;
virtio)
	# a memory device, like the NVDIMM: it takes a hotplug slot and room under maxmem
	pmem_qemu=(-machine pc -m "${mem_mib}M,slots=2,maxmem=$((mem_mib + pmem_mib))M"
		-object "memory-backend-file,id=mem1,share=on,mem-path=$tmp/pmem.img,size=${pmem_mib}M"
		-device virtio-pmem-pci,id=nv1,memdev=mem1)
	;;
memmap)
	# plain RAM, part of which the kernel's memmap= (above) makes pmem
	pmem_qemu=(-machine pc -m "${ram_mib}M")
	;;
esac
# shellcheck disable=SC2054 # QEMU options are comma-separated lists
qemu=(qemu-system-x86_64 "${accel[@]}" -smp "$cpus" -no-reboot "${pmem_qemu[@]}"
	-fsdev local,id=hostroot,path=/,security_model=passthrough,readonly=on,multidevs=remap
	-device virtio-9p-pci,fsdev=hostroot,mount_tag=hostroot
	-fsdev "local,id=job,path=$tmp/out,security_model=none"
	-device virtio-9p-pci,fsdev=job,mount_tag=job)
# shellcheck disable=SC2054 # QEMU options are comma-separated lists
[ -z "$out" ] || qemu+=(-fsdev "local,id=dtout,path=$q_out,security_model=none"
	-device virtio-9p-pci,fsdev=dtout,mount_tag=dtout)
# no_timer_check: under TCG on a loaded host the boot's check that the timer interrupt arrives
# through the IO-APIC can time out, and the kernel panics ("IO-APIC + timer doesn't work!",
# seen once with 5.10 while other guests ran); the check is meaningless for QEMU's timer.
qemu+=(-kernel "$vmlinuz" -initrd "$initrd"
	-append "console=ttyS0 panic=-1 quiet no_timer_check dtinit=$here/guest.sh dtjob=$tmp${append:+ $append}")

if [ "$interactive" = 1 ]; then
	"${qemu[@]}" -nographic
	exit
fi

log=$tmp/console.log
timeout -k 10 "$timeout" "${qemu[@]}" -display none -monitor none -serial "file:$log" </dev/null &
vm=$!
# Ctrl-C or kill: stop the guest too (background jobs ignore SIGINT).
trap 'kill "$vm" 2>/dev/null' INT TERM
tail -q -n +1 -f --pid="$vm" "$tmp/out/stdout" &
tail -q -n +1 -f --pid="$vm" "$tmp/out/stderr" >&2 &
rc=0
wait "$vm" || rc=$?
wait
[ -e "$log" ] || : >"$log" # QEMU did not start: its own message is on stderr

[ -z "$keep_log" ] || cp "$log" "$keep_log"
status=$(cat "$tmp/out/status" 2>/dev/null || true)
case $status in
[0-9]*) exit "$status" ;;
esac
if [ -z "$keep_log" ]; then
	keep_log=$cache/logs/$label-$(date +%Y%m%d-%H%M%S)-$$.log
	mkdir -p "$cache/logs"
	cp "$log" "$keep_log"
fi
tail -n 30 "$log" | sed 's/^/console: /' >&2
if [ "$rc" = 124 ]; then
	echo "run.sh: timed out after $timeout s; console log: $keep_log" >&2
	exit 124
fi
echo "run.sh: the guest stopped without an exit status; console log: $keep_log" >&2
exit 125
