#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Host side of tests/package, run by tests/check.sh before the guest boots
# (building the packages in the TCG guest would take far too long): the
# packages of this tree as version N (build/deb) and as N+1 (build/deb/next,
# the same sources with one more changelog entry) for the upgrade scenario.
#
# For each version, DKMS also builds the modules here, for the guest's
# kernel, from the nfext-dkms package's own sources and dkms.conf (the .deb
# unpacked in build/pkg-dkms/VER), in a DKMS tree of its own: nothing of the
# host's /var/lib/dkms, /usr/src or /lib/modules changes. `dkms mktarball
# --binaries-only` packs the result as build/deb[/next]/nfext-VER.dkms.tar.gz.
# The guest puts it where the package's postinst (dh_dkms, common.postinst)
# looks for prebuilt binaries, /usr/share/nfext-dkms/NAME-VER.dkms.tar.gz:
# postinst loads it with `dkms ldtarball` and installs it instead of
# compiling every module under TCG (20 minutes and more per install).
# NFEXT_PKG_GUEST_BUILD=1 skips that in the guest: DKMS compiles there.
set -eu
cd "$(dirname "$0")/../.."
TOP=$PWD
KVER=$(tests/vm/vm.sh kver)
nice make -s deb
ver=$(sed -n '1s/^[^(]*(\([^)]*\)).*/\1/p' debian/changelog)
nice scripts/mkdeb.sh --version "$ver+next1" --out build/deb/next

# dkms_tarball DEB OUTDIR: build DEB's modules for $KVER with DKMS, in
# build/pkg-dkms only, and write OUTDIR/nfext-VER.dkms.tar.gz.
dkms_tarball() {
	local deb=$1 out=$2 v w
	v=$(dpkg-deb -f "$deb" Version)
	w=$TOP/build/pkg-dkms/$v
	rm -rf "$w"
	mkdir -p "$w/root" "$w/dkms" "$TOP/build/pkg-dkms/key"
	dpkg-deb -x "$deb" "$w/root"
	local opts=(-m nfext -v "$v" -k "$KVER" --dkmstree "$w/dkms"
		--sourcetree "$w/root/usr/src" --installtree "$w/modules")
	# A kernel image of its own (make check-debug): its build folder is
	# where the image's modules link to, not in the host's /lib/modules.
	[ -n "${NFEXT_VM_IMG:-}" ] &&
		opts+=(--kernelsourcedir "$NFEXT_VM_IMG/lib/modules/$KVER/build")
	# DKMS signs what it builds, as on a real host, but with a key of its
	# own here (made on first use), never the host's /var/lib/dkms/mok.key
	mok_signing_key=$TOP/build/pkg-dkms/key/mok.key \
		mok_certificate=$TOP/build/pkg-dkms/key/mok.pub \
		nice dkms build "${opts[@]}" > "$w/build.log" 2>&1 ||
		{ tail -n 30 "$w/build.log"; echo "host-setup: dkms build of nfext $v failed" >&2; return 1; }
	rm -f "$out/nfext-$v.dkms.tar.gz"
	dkms mktarball "${opts[@]}" --binaries-only \
		--archive "$out/nfext-$v.dkms.tar.gz" >> "$w/build.log" 2>&1 ||
		{ tail -n 30 "$w/build.log"; echo "host-setup: dkms mktarball of nfext $v failed" >&2; return 1; }
	echo "host-setup: $out/nfext-$v.dkms.tar.gz (DKMS build for $KVER)"
}
dkms_tarball "build/deb/nfext-dkms_${ver}_all.deb" "$TOP/build/deb"
dkms_tarball "build/deb/next/nfext-dkms_${ver}+next1_all.deb" "$TOP/build/deb/next"
