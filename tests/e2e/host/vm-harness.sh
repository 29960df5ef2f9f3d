#!/bin/bash
# Host tests of the VM harness's tools that boot nothing: tools/vm/check-config.sh (through
# run.sh --check-config), run.sh's refusals before any boot (usage errors, a kernel config
# without what the harness needs), the QEMU command line its options make (a fake
# qemu-system-x86_64 records it), and compare.sh's usage errors. No root, no network: the
# kernel cache is an empty temporary one, except where the cached Debian kernels' configs are
# checked (skipped when none is cached).
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../../.." && pwd)
run=$top/tools/vm/run.sh
compare=$top/tools/vm/compare.sh
fragment=$top/tools/vm/kernel.config
real_cache=${DAXTRACE_CACHE:-$HOME/.cache/daxtrace}

pass() { echo "PASS host/vm-harness/$1"; }
fail() { echo "FAIL host/vm-harness/$1: $2"; }
skip() { echo "SKIP host/vm-harness/$1: $2"; }

work=$(mktemp -d /tmp/dt-vm-harness.XXXXXX)
trap 'rm -rf "$work"' EXIT
export DAXTRACE_CACHE=$work/cache
# A fake QEMU: writes its arguments, one per line, to $work/qemu.args and exits without
# running any guest (run.sh then finds no exit status: 125).
mkdir -p "$work/bin" "$DAXTRACE_CACHE"
cat >"$work/bin/qemu-system-x86_64" <<EOF
#!/bin/sh
printf '%s\n' "\$@" >"$work/qemu.args"
EOF
chmod +x "$work/bin/qemu-system-x86_64"
export PATH=$work/bin:$PATH

# A config with every option of the fragment (and module support), and one without
# CONFIG_FS_DAX and CONFIG_9P_FS.
{
	echo CONFIG_MODULES=y
	grep '^CONFIG_' "$fragment"
} >"$work/good.config"
grep -v -e '^CONFIG_FS_DAX=' -e '^CONFIG_9P_FS=' "$work/good.config" >"$work/bad.config"

# A fake x86 bzImage: the boot header's "HdrS" at 0x202 and, at 0x20e, the offset (from 0x200)
# of the version string "RELEASE (builder) #1 ...".
fake_bzimage() {
	head -c 2048 /dev/zero >"$1"
	printf 'HdrS' | dd of="$1" bs=1 seek=514 conv=notrunc 2>/dev/null
	printf '\000\004' | dd of="$1" bs=1 seek=526 conv=notrunc 2>/dev/null # 0x0400, little-endian
	printf '%s (test@host) #1 SMP\000' "$2" | dd of="$1" bs=1 seek=1536 conv=notrunc 2>/dev/null
}

# expect NAME STATUS WANT_STATUS OUTPUT PATTERN...: the status, and each grep -E pattern in
# OUTPUT.
expect() {
	local name=$1 status=$2 want=$3 out=$4 p
	shift 4
	if [ "$status" != "$want" ]; then
		fail "$name" "exit $status, expected $want; output: $(echo "$out" | tail -n 3 | tr '\n' '|')"
		return
	fi
	for p in "$@"; do
		if ! echo "$out" | grep -Eq -- "$p"; then
			fail "$name" "no line matching '$p' in: $(echo "$out" | tail -n 5 | tr '\n' '|')"
			return
		fi
	done
	pass "$name"
}

no_qemu() {
	if [ -e "$work/qemu.args" ]; then
		fail "$1" "QEMU was started"
		rm -f "$work/qemu.args"
	else
		pass "$1"
	fi
}

# --check-config CONFIG alone: the two missing options, who needs them and what they cost
# (the text of the fragment's comments), a non-zero exit, no boot.
out=$("$run" --check-config "$work/bad.config" 2>&1)
expect check-config/missing-fs-dax-9p $? 1 "$out" \
	'^MISSING CONFIG_FS_DAX \(not set\): harness: no DAX mount on /mnt/dax' \
	'^missing CONFIG_FS_DAX \(not set\): top,lat,snoop,share,mapuse,exporter: no DAX faults' \
	'^MISSING CONFIG_9P_FS \(not set\): harness: the host root, the job share and --out are 9p' \
	'the harness cannot run this kernel: it lacks CONFIG_9P_FS, CONFIG_FS_DAX$'
no_qemu check-config/missing-fs-dax-9p/no-boot
out=$("$run" --check-config "$work/good.config" 2>&1)
expect check-config/complete $? 0 "$out" 'nothing the harness needs is missing; 0 option'
# =m satisfies =y, but not without module support
sed 's/^CONFIG_9P_FS=y/CONFIG_9P_FS=m/' "$work/good.config" >"$work/m.config"
out=$("$run" --check-config "$work/m.config" 2>&1)
expect check-config/module-satisfies $? 0 "$out" 'nothing the harness needs is missing'
sed -i 's/^CONFIG_MODULES=y/# CONFIG_MODULES is not set/' "$work/m.config"
out=$("$run" --check-config "$work/m.config" 2>&1)
expect check-config/module-needs-modules $? 1 "$out" '^MISSING CONFIG_9P_FS \(=m\): harness'
# only what the harness misses fails: no module BTF costs commands something, not the harness
grep -v '^CONFIG_DEBUG_INFO_BTF_MODULES=' "$work/good.config" >"$work/nobtf.config"
out=$("$run" --check-config "$work/nobtf.config" 2>&1)
expect check-config/commands-only $? 0 "$out" \
	'^missing CONFIG_DEBUG_INFO_BTF_MODULES \(not set\): top,cow,share,mapuse: ' '1 option\(s\) daxtrace commands use are missing'
# --fs ext4: XFS is then not the harness's need
grep -v '^CONFIG_XFS_FS=' "$work/good.config" >"$work/noxfs.config"
out=$("$run" --check-config "$work/noxfs.config" 2>&1)
expect check-config/fs-xfs $? 1 "$out" '^MISSING CONFIG_XFS_FS \(not set\): harness\(xfs\)'
out=$("$run" --fs ext4 --check-config "$work/noxfs.config" 2>&1)
expect check-config/fs-ext4 $? 0 "$out" '^missing CONFIG_XFS_FS'
out=$("$run" --check-config "$work/nonexistent" 2>&1)
expect check-config/unreadable $? 125 "$out" 'cannot read the kernel config'

# A run with that config: 125 and the message, before any kernel is fetched or QEMU started.
start=$(date +%s%N)
out=$("$run" --check-config "$work/bad.config" -- true 2>&1)
status=$?
ms=$((($(date +%s%N) - start) / 1000000))
expect run/bad-config $status 125 "$out" '^MISSING CONFIG_FS_DAX' '^MISSING CONFIG_9P_FS' \
	'not booting that kernel: its config lacks what the harness needs'
no_qemu run/bad-config/no-boot
if [ "$ms" -lt 5000 ] && [ -z "$(ls "$DAXTRACE_CACHE")" ]; then
	pass run/bad-config/fast
else
	fail run/bad-config/fast "took $ms ms, cache: $(find "$DAXTRACE_CACHE" -mindepth 1 | tr '\n' ' ')"
fi

# Without --check-config, the config found beside the kernel is checked before booting: a
# bzImage with config-RELEASE next to it, a kernel tree's .config (make is never run).
mkdir -p "$work/image" "$work/tree/arch/x86/boot"
fake_bzimage "$work/image/bzImage" 6.99.0-test
cp "$work/bad.config" "$work/image/config-6.99.0-test"
out=$("$run" --kernel-image "$work/image/bzImage" -- true 2>&1)
expect run/image-config-beside $? 125 "$out" '^MISSING CONFIG_FS_DAX' 'not booting'
no_qemu run/image-config-beside/no-boot
cp "$work/image/bzImage" "$work/tree/arch/x86/boot/bzImage"
cp "$work/bad.config" "$work/tree/.config"
printf 'modules_install:\n\ttouch %s/make-ran\n' "$work" >"$work/tree/Makefile"
out=$("$run" --kernel-tree "$work/tree" -- true 2>&1)
expect run/tree-config $? 125 "$out" '^MISSING CONFIG_9P_FS' 'not booting'
if [ -e "$work/make-ran" ]; then
	fail run/tree-config/no-make "make modules_install ran"
else
	pass run/tree-config/no-make
fi
no_qemu run/tree-config/no-boot

# The options as QEMU gets them (the fake QEMU runs no guest: 125 after it).
cp "$work/good.config" "$work/image/config-6.99.0-test"
out=$("$run" --kernel-image "$work/image/bzImage" --cpus 3 --mem 1G --pmem-size 2G \
	--append "foo=1 bar" --out "$work/out" --kvm -- true 2>&1)
status=$?
args=$(cat "$work/qemu.args" 2>/dev/null)
rm -f "$work/qemu.args"
if [ -c /dev/kvm ] && (: <>/dev/kvm) 2>/dev/null; then
	accel='^kvm$'
	kvm_msg='.'
else
	accel='^tcg,thread=single$'
	kvm_msg='^run.sh: --kvm: /dev/kvm cannot be opened read-write; using TCG$'
fi
expect qemu-args/run-status $status 125 "$out" "$kvm_msg" 'stopped without an exit status'
expect qemu-args/options 0 0 "$args" '^-smp$' '^3$' '^1024M,slots=2,maxmem=3072M$' \
	'size=2048M$' "$accel" "^local,id=dtout,path=$work/out,security_model=none$" \
	"^-kernel$" "^$work/image/bzImage$" 'dtjob=/tmp/dtvm\.[A-Za-z0-9]+ foo=1 bar$'
if [ -d "$work/out" ]; then pass qemu-args/out-made; else fail qemu-args/out-made "no $work/out"; fi
# --pmem: the old spelling of --pmem-size
"$run" --kernel-image "$work/image/bzImage" --pmem 3G -- true >/dev/null 2>&1
expect qemu-args/pmem-old-spelling 0 0 "$(cat "$work/qemu.args" 2>/dev/null)" 'size=3072M$'
rm -f "$work/qemu.args"
# --pmem-provider: the NVDIMM by default; virtio-pmem the same memory backend on another device;
# memmap no device, the pmem carved from RAM after --mem (2G + 1G + 256M of RAM, memmap=1G!2G)
"$run" --kernel-image "$work/image/bzImage" -- true >/dev/null 2>&1
expect qemu-args/provider-nvdimm 0 0 "$(cat "$work/qemu.args" 2>/dev/null)" '^pc,nvdimm=on$' \
	'^nvdimm,id=nv1,memdev=mem1$' '^2048M,slots=2,maxmem=3072M$'
rm -f "$work/qemu.args"
"$run" --kernel-image "$work/image/bzImage" --pmem-provider virtio -- true >/dev/null 2>&1
args=$(cat "$work/qemu.args" 2>/dev/null)
expect qemu-args/provider-virtio 0 0 "$args" '^pc$' '^virtio-pmem-pci,id=nv1,memdev=mem1$' \
	'^2048M,slots=2,maxmem=3072M$' 'size=1024M$'
if echo "$args" | grep -q -e nvdimm -e memmap=; then
	fail qemu-args/provider-virtio-only "an NVDIMM or memmap= with virtio: $(echo "$args" | grep -e nvdimm -e memmap= | tr '\n' ' ')"
else
	pass qemu-args/provider-virtio-only
fi
rm -f "$work/qemu.args"
"$run" --kernel-image "$work/image/bzImage" --pmem-provider memmap --append "foo=1" -- true >/dev/null 2>&1
args=$(cat "$work/qemu.args" 2>/dev/null)
expect qemu-args/provider-memmap 0 0 "$args" '^pc$' '^3328M$' 'dtjob=/tmp/dtvm\.[A-Za-z0-9]+ memmap=1024M!2048M foo=1$'
if echo "$args" | grep -q -e nvdimm -e memory-backend -e maxmem; then
	fail qemu-args/provider-memmap-only "a memory device with memmap: $(echo "$args" | grep -e nvdimm -e memory-backend -e maxmem | tr '\n' ' ')"
else
	pass qemu-args/provider-memmap-only
fi
rm -f "$work/qemu.args"
# the release: the bzImage's, unless the module directory has exactly one
mkdir -p "$work/mods/lib/modules/6.99.0-other/kernel" "$work/mods/lib/modules/6.99.0-third"
chmod -R a-w "$work/mods"
out=$("$run" --kernel-image "$work/image/bzImage" --modules "$work/mods" -- true 2>&1)
expect run/modules-ambiguous $? 125 "$out" '2 releases in lib/modules/ \(6.99.0-other 6.99.0-third\), and the bzImage names 6.99.0-test'
no_qemu run/modules-ambiguous/no-boot
chmod u+w "$work/mods/lib/modules" && rmdir "$work/mods/lib/modules/6.99.0-third"
out=$("$run" --kernel-image "$work/image/bzImage" --modules "$work/mods" -- true 2>&1)
status=$?
job=$(sed -n 's/.*dtjob=\([^ ]*\).*/\1/p' "$work/qemu.args" 2>/dev/null)
rm -f "$work/qemu.args"
expect run/modules-one-release $status 125 "$out" 'stopped without an exit status'
# no modules.dep in the (read-only) directory: depmod ran on a copy, the directory is as it was
if [ -z "$(find "$work/mods" -name 'modules.*')" ]; then
	pass run/modules-untouched
else
	fail run/modules-untouched "run.sh wrote into --modules: $(find "$work/mods" -name 'modules.*' | tr '\n' ' ')"
fi
if [ -n "$job" ] && [ ! -e "$job" ]; then
	pass run/tmp-removed
else
	fail run/tmp-removed "job directory '$job' left"
fi
chmod -R u+w "$work/mods"

# run.sh's usage errors: 125 and a message naming the problem, nothing booted or fetched
usage_error() {
	local name=$1 want=$2 out status
	shift 2
	out=$("$run" "$@" 2>&1)
	status=$?
	expect "usage/$name" $status 125 "$out" "^run.sh: .*$want"
	no_qemu "usage/$name/no-boot"
}
usage_error unknown-option "unknown option '--bogus'" --bogus -- true
usage_error missing-value '--kernel needs a value' --kernel
usage_error two-kernels 'give one kernel' --kernel sid --kernel-tree "$work/tree" -- true
usage_error modules-alone '--modules goes with --kernel-image' --modules "$work/mods" -- true
usage_error fs '--fs must be xfs or ext4' --fs btrfs -- true
usage_error cpus "bad --cpus '0'" --cpus 0 -- true
usage_error mem "bad --mem 'lots'" --mem lots -- true
usage_error pmem-small "too small for xfs" --pmem-size 512M -- true
usage_error pmem-bad "bad --pmem-size 'x'" --pmem x -- true
usage_error no-command 'no COMMAND given'
usage_error provider '--pmem-provider must be nvdimm, memmap or virtio' --pmem-provider cxl -- true
usage_error memmap-too-big 'must stay within 3.5G \(3840M\)' --pmem-provider memmap --mem 2560M -- true
usage_error no-image "--kernel-image '$work/none': no such file" --kernel-image "$work/none" -- true
usage_error not-bzimage 'not an x86 bzImage' --kernel-image "$work/good.config" -- true
usage_error no-bzimage-in-tree 'no arch/x86/boot/bzImage' --kernel-tree "$work" -- true
usage_error no-deb "no such file" --kernel-deb "$work/none.deb" -- true
usage_error image-no-config 'no kernel config known for this image kernel' \
	--kernel-image "$work/tree/arch/x86/boot/bzImage" --check-config
fetched=$(find "$DAXTRACE_CACHE" -mindepth 1 -maxdepth 1 ! -name logs)
if [ -z "$fetched" ]; then
	pass usage/nothing-fetched
else
	fail usage/nothing-fetched "the cache has: $(echo "$fetched" | tr '\n' ' ')"
fi

# compare.sh's usage errors: 2 and a message
compare_error() {
	local name=$1 want=$2 out status
	shift 2
	out=$(BUILD=$work "$compare" "$@" 2>&1)
	status=$?
	expect "compare/$name" $status 2 "$out" "^compare.sh: .*$want" '^usage: compare.sh --base KERNEL'
	no_qemu "compare/$name/no-boot"
}
compare_error no-base 'no --base KERNEL' --new sid
compare_error no-new 'no --new KERNEL' --base sid
compare_error bad-form "unknown kernel form 'kvm:x'" --base sid --new kvm:x
compare_error no-image "no such image '$work/none'" --base "image:$work/none" --new sid
compare_error no-moddir "no such module directory '$work/none'" --base "image:$work/image/bzImage:$work/none" --new sid
compare_error no-deb "no such package '$work/none.deb'" --base "deb:$work/good.config:$work/none.deb" --new sid
compare_error repeat "bad --repeat 'x'" --base sid --new sid --repeat x
compare_error unknown-option "unknown option '--bogus'" --base sid --new sid --bogus
out=$(BUILD=$work/nobuild "$compare" --base sid --new sid 2>&1)
expect compare/no-daxtrace $? 125 "$out" "no $work/nobuild/daxtrace"

# The cached Debian kernels' configs (tools/vm/fetch-kernel.sh keeps config-RELEASE) have all
# the harness needs.
found=0
for config in "$real_cache"/kernels/*/*/config-*; do
	[ -f "$config" ] || continue
	found=1
	name=$(echo "${config#"$real_cache"/kernels/}" | cut -d / -f 1,3)
	out=$("$run" --check-config "$config" 2>&1)
	expect "cached-config/$name" $? 0 "$out" 'nothing the harness needs is missing'
done
[ $found = 1 ] || skip cached-config "no kernel cached in $real_cache/kernels (the vm suite fetches them)"
exit 0
