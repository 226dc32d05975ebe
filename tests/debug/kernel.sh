#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build the debug guest kernel of `make check-debug`: Debian's own
# linux-source-6.1, the same version as the installed linux-headers, with
# x86_64 defconfig + kvm_guest.config, Debian's own choices for networking
# and netfilter (so every in-tree module nfext replaces is there, as a
# module), and tests/debug/debug.config (KASAN, lockdep, kmemleak, UBSAN,
# DEBUG_LIST, DEBUG_NET, ...).
#
# The result is cached outside the clone, keyed by the source version and a
# hash of the configuration inputs, so a machine builds it once:
#   $NFEXT_DEBUG_CACHE (default /var/cache/nfext/debug-kernel)/KEY/
#     build/   the configured and built tree (KDIR for nfext's modules)
#     img/     boot/vmlinuz-KVER and lib/modules/KVER, what tests/vm/vm.sh
#              boots (NFEXT_VM_IMG)
#     kver     the kernel release string
#
#   tests/debug/kernel.sh          build if needed; print the KEY directory
set -eu
cd "$(dirname "$0")/../.."
TOP=$PWD
CACHE=${NFEXT_DEBUG_CACHE:-/var/cache/nfext/debug-kernel}

die() { echo "debug-kernel: $*" >&2; exit 2; }

hdr=$(ls -d /usr/src/linux-headers-*-amd64 2>/dev/null | sort -V | tail -n1)
[ -n "$hdr" ] || die "no linux-headers-*-amd64: run 'make deps'"
debcfg=$hdr/.config
ver=$(dpkg-query -W -f='${Version}' "$(basename "$hdr")") ||
	die "cannot tell the version of $(basename "$hdr")"

# Debian's networking and netfilter choices, as they are in its config.
debian_net() {
	grep -E '^CONFIG_(NETFILTER|NF_|NFT_|IP_NF_|IP6_NF_|BRIDGE_NF|BRIDGE_NETFILTER|NET_SCH_INGRESS|TUN)[A-Z0-9_]*=' \
		"$debcfg" || true
}

# The key: source version, and a hash of the configuration inputs (bump
# RECIPE when the steps below change what gets built).
RECIPE="defconfig kvm_guest.config debian-net debug.config 1"
key=$ver-$( { echo "$RECIPE"; cat tests/debug/debug.config; debian_net; } |
	sha256sum | cut -c1-12)
dir=$CACHE/$key
if [ -f "$dir/.ok" ]; then
	echo "$dir"
	exit 0
fi

tests/deps.sh tests/debug/deps.txt >&2
mkdir -p "$dir"
exec 3>&1 1>"$dir/build.log" 2>&1
echo "debug-kernel: building $key in $dir (log: $dir/build.log)" >&3

src=$dir/build
if [ ! -f "$src/Makefile" ]; then
	tmp=$(mktemp -d "$dir/dl.XXXXXX")
	(cd "$tmp" && apt-get download -q "linux-source-6.1=$ver") ||
		die "cannot download linux-source-6.1=$ver"
	dpkg -x "$tmp"/linux-source-6.1_*.deb "$tmp/x"
	rm -rf "$src"
	mkdir -p "$src"
	tar -xJf "$tmp"/x/usr/src/linux-source-6.1.tar.xz -C "$src" \
		--strip-components=1
	rm -rf "$tmp"
fi

cd "$src"
make -s defconfig
make -s kvm_guest.config
debian_net > "$dir/debian-net.config"
scripts/kconfig/merge_config.sh -m .config "$dir/debian-net.config" \
	"$TOP/tests/debug/debug.config"
make -s olddefconfig

# Every option debug.config asks for must have survived olddefconfig.
bad=0
while read -r line; do
	case $line in
	CONFIG_*=*)
		grep -qx -- "$line" .config ||
			{ echo "debug-kernel: $line did not stick"; bad=1; } ;;
	"# CONFIG_"*" is not set")
		opt=${line#\# }; opt=${opt%% *}
		if grep -q "^$opt=" .config; then
			echo "debug-kernel: $opt should be off"; bad=1
		fi ;;
	esac
done < "$TOP/tests/debug/debug.config"
[ $bad -eq 0 ] || die "configuration check failed (see $dir/build.log)"

nice -n "${NFEXT_DEBUG_NICE:-10}" make -j"$(nproc)" bzImage modules
kver=$(make -s kernelrelease)
rm -rf "$dir/img"
mkdir -p "$dir/img/boot"
cp arch/x86/boot/bzImage "$dir/img/boot/vmlinuz-$kver"
make -s INSTALL_MOD_PATH="$dir/img" INSTALL_MOD_STRIP=1 modules_install
depmod -b "$dir/img" "$kver"
echo "$kver" > "$dir/kver"
touch "$dir/img/.ok" "$dir/.ok"
echo "debug-kernel: built $kver" >&3
echo "$dir" >&3
