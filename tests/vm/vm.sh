#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# nfext VM test-bed: boot Debian's own kernel (the image matching the
# installed headers) under QEMU TCG, with the host's root shared read-only
# over 9p under a tmpfs overlay, run one command in the guest and return its
# exit status.
#
#   tests/vm/vm.sh prepare          fetch the image, build the initramfs
#   tests/vm/vm.sh run CMD [ARG..]  boot, run CMD (a path on the host) as root
#   tests/vm/vm.sh shell            boot to an interactive shell
#
# Environment: NFEXT_VM_DIR (cache, default build/vm), NFEXT_KVER (default
# the newest installed linux-headers-*-amd64), NFEXT_VM_MEM (MiB, 2048),
# NFEXT_VM_SMP (2), NFEXT_VM_TIMEOUT (seconds, 2400), NFEXT_VM_OUT (a
# directory that receives the guest's log, dmesg and status and is kept),
# NFEXT_VM_IMG (boot this kernel instead of Debian's: a folder with
# boot/vmlinuz-KVER and lib/modules/KVER, e.g. the debug kernel of
# tests/debug/kernel.sh; set NFEXT_KVER with it), NFEXT_VM_APPEND (more
# kernel command line), NFEXT_VM_CPU (QEMU's -cpu, default max),
# NFEXT_VM_QEMU_ARGS (more QEMU arguments, split at blanks: make bench-insns
# adds its plugin), NFEXT_VM_ACCEL (QEMU's -accel, default tcg: multi-threaded;
# tcg,thread=single runs both vCPUs on one host thread).
set -eu

REPO=$(cd "$(dirname "$0")/../.." && pwd)
VMDIR=${NFEXT_VM_DIR:-$REPO/build/vm}

die() { echo "vm.sh: $*" >&2; exit 2; }

kver() {
	if [ -n "${NFEXT_KVER:-}" ]; then echo "$NFEXT_KVER"; return; fi
	local h
	h=$(ls -d /usr/src/linux-headers-*-amd64 2>/dev/null | sort -V | tail -n1)
	[ -n "$h" ] || die "no /usr/src/linux-headers-*-amd64: run 'make deps'"
	basename "$h" | sed 's/^linux-headers-//'
}

KVER=$(kver)
IMG=${NFEXT_VM_IMG:-$VMDIR/img-$KVER}

busybox_bin() {
	local b
	for b in /bin/busybox /usr/bin/busybox; do
		if [ -x "$b" ] && file -L "$b" 2>/dev/null | grep -q 'statically linked'; then
			echo "$b"; return
		fi
	done
	die "busybox-static is not installed: run 'make deps'"
}

prepare() {
	mkdir -p "$VMDIR"
	if [ -n "${NFEXT_VM_IMG:-}" ]; then
		[ -e "$IMG/.ok" ] || die "$IMG is not a built kernel image folder"
	elif [ ! -e "$IMG/.ok" ]; then
		local tmp
		tmp=$(mktemp -d "$VMDIR/dl.XXXXXX")
		(cd "$tmp" && apt-get download -q "linux-image-$KVER" >/dev/null 2>&1) ||
			die "cannot download linux-image-$KVER (apt-get update?)"
		rm -rf "$IMG"
		dpkg -x "$tmp"/linux-image-"$KVER"_*.deb "$IMG"
		rm -rf "$tmp"
		depmod -b "$IMG" "$KVER"
		touch "$IMG/.ok"
	fi
	local initrd=$IMG/initramfs.cpio.gz
	if [ ! -e "$initrd" ] || [ "$0" -nt "$initrd" ]; then
		build_initramfs "$initrd"
	fi
}

build_initramfs() {
	local out=$1 root bb m
	root=$(mktemp -d "$VMDIR/initrd.XXXXXX")
	bb=$(busybox_bin)
	mkdir -p "$root"/{bin,dev,proc,sys,mods,newroot}
	cp "$bb" "$root/bin/busybox"
	: > "$root/mods/order"
	for m in virtio_pci 9pnet_virtio 9p overlay; do
		modprobe -d "$IMG" -S "$KVER" --show-depends "$m" |
			awk '$1 == "insmod" { print $2 }'
	done | awk '!seen[$0]++' | while read -r m; do
		cp "$m" "$root/mods/"
		basename "$m" >> "$root/mods/order"
	done
	cat > "$root/init" <<'INIT'
#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
for m in $(cat /mods/order); do insmod /mods/$m; done
repo=$(sed -n 's/.*nfext.repo=\([^ ]*\).*/\1/p' /proc/cmdline)
o=trans=virtio,version=9p2000.L,msize=262144
mkdir -p /lower /rw
mount -t 9p -o $o,ro,cache=loose hostroot /lower || exec sh
mount -t tmpfs -o size=80% tmpfs /rw
mkdir -p /rw/upper /rw/work /rw/mupper /rw/mwork /rw/mlower
mount -t overlay overlay \
	-o lowerdir=/lower,upperdir=/rw/upper,workdir=/rw/work /newroot || exec sh
# cache=loose: the image's modules do not change during a run; depmod reads
# them all, which takes minutes over uncached 9p under TCG
mount -t 9p -o $o,ro,cache=loose modules /rw/mlower
mount -t overlay overlay \
	-o lowerdir=/rw/mlower,upperdir=/rw/mupper,workdir=/rw/mwork \
	/newroot/lib/modules
# Both overlays' layers, for tests that compare file lists (tests/package):
# /nfext-layers/lower (the host's root), rw/upper, rw/mlower, rw/mupper.
mkdir -p /newroot/nfext-layers/lower /newroot/nfext-layers/rw
mount -o bind /lower /newroot/nfext-layers/lower
mount -o rbind /rw /newroot/nfext-layers/rw
mkdir -p /newroot/nfext-out
mount -t 9p -o $o out /newroot/nfext-out
umount /proc /sys /dev 2>/dev/null
exec switch_root /newroot /bin/bash "$repo/tests/vm/guest-init.sh"
INIT
	chmod +x "$root/init"
	(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) > "$out.tmp"
	mv "$out.tmp" "$out"
	rm -rf "$root"
}

boot() {
	local out=$1 interactive=$2
	local mem=${NFEXT_VM_MEM:-2048} smp=${NFEXT_VM_SMP:-2}
	local tmo=${NFEXT_VM_TIMEOUT:-2400}
	local console=() append
	append="console=ttyS0 panic=-1 nfext.repo=$REPO"
	append="$append loglevel=4 net.ifnames=0 mitigations=off no_timer_check"
	append="$append ${NFEXT_VM_APPEND:-}"
	if [ "$interactive" = 1 ]; then
		console=(-serial mon:stdio)
	else
		console=(-serial "file:$out/console")
	fi
	timeout --foreground "$tmo" qemu-system-x86_64 -accel "${NFEXT_VM_ACCEL:-tcg}" -cpu "${NFEXT_VM_CPU:-max}" \
		-m "$mem" -smp "$smp" -nographic -no-reboot -display none \
		-monitor none "${console[@]}" \
		-kernel "$IMG/boot/vmlinuz-$KVER" \
		-initrd "$IMG/initramfs.cpio.gz" -append "$append" \
		-virtfs local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap \
		-virtfs "local,path=$IMG/lib/modules,mount_tag=modules,security_model=none,readonly=on,multidevs=remap" \
		-virtfs "local,path=$out,mount_tag=out,security_model=none,multidevs=remap" \
		${NFEXT_VM_QEMU_ARGS:-} </dev/null
}

run() {
	[ $# -ge 1 ] || die "usage: vm.sh run CMD [ARG...]"
	prepare
	local out rc
	if [ -n "${NFEXT_VM_OUT:-}" ]; then
		out=$NFEXT_VM_OUT
		mkdir -p "$out"
		rm -f "$out/rc" "$out/dmesg" "$out/console"
	else
		out=$(mktemp -d "$VMDIR/run.XXXXXX")
	fi
	printf '%q ' "$@" > "$out/cmd"
	echo >> "$out/cmd"
	: > "$out/log"
	# Stream the guest's output while it runs.
	tail -n +1 -f "$out/log" --pid=$$ 2>/dev/null &
	local tailpid=$!
	boot "$out" 0 || true
	sleep 0.3
	kill "$tailpid" 2>/dev/null || true
	wait "$tailpid" 2>/dev/null || true
	if [ -s "$out/rc" ]; then
		rc=$(cat "$out/rc")
	else
		echo "vm.sh: the guest did not report a status; console:" >&2
		tail -n 40 "$out/console" >&2 || true
		rc=125
	fi
	if [ -n "${NFEXT_VM_OUT:-}" ]; then
		:
	elif [ -n "${NFEXT_VM_KEEP:-}" ]; then
		echo "vm.sh: run directory kept: $out" >&2
	else
		rm -rf "$out"
	fi
	return "$rc"
}

case "${1:-}" in
prepare) prepare ;;
run) shift; run "$@" ;;
shell)
	prepare
	out=$(mktemp -d "$VMDIR/run.XXXXXX")
	echo "exec /bin/bash -i" > "$out/cmd"
	boot "$out" 1
	rm -rf "$out"
	;;
kver) echo "$KVER" ;;
*) die "usage: vm.sh prepare | run CMD [ARG...] | shell | kver" ;;
esac
