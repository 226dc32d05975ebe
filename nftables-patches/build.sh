#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build Debian's nftables with nfext's patch series applied: an `nft` that
# knows `queue flags fail-open` and the fib keys `feasible` and `no-default`,
# and its man page, in build/nftables/out/ (nft, nft.8.gz).
#
# The source is Debian's nftables source package (`apt-get source`, as
# iptables-patches/build.sh fetches iptables'), and nothing else. When the
# archive cannot hand it out whole (this workplace's mirror answers 404 for
# nftables_1.0.6.orig.tar.xz), nothing is built: the script says so and
# exits 0, and the scenarios that need the patched nft skip with that
# reason (tests/lib/common.sh: need_patched_nft).
# Every nftables-patches/[0-9]*.patch is applied in name order (patch -p1).
#
# `nft` links libnftables statically (configure --disable-shared), so the
# system's libnftables1 stays stock; it uses the system's libnftnl, libmnl,
# libxtables, libjansson and libgmp. Configured with only what the binary
# needs: JSON and xtables like Debian's, no CLI, no python, no docs.
#
# The man page is Debian's generated nft.8 from the nftables binary package
# of the same version with nft.8.patch applied (the .txt sources are patched
# too by the series, for upstream; building them would need asciidoc).
# Nothing is rebuilt while the patches, this script and the source are
# unchanged (stamp).
set -eu
cd "$(dirname "$0")/.."
TOP=$PWD
WORK=$TOP/build/nftables
PATCHES=$(ls nftables-patches/[0-9]*.patch 2>/dev/null | sort) || true
[ -n "$PATCHES" ] || exit 0

stamp=$(cat $PATCHES nftables-patches/nft.8.patch "$0" | sha256sum | cut -c1-16)
if [ -f "$WORK/stamp" ] && [ "$(cat "$WORK/stamp")" = "$stamp" ] &&
	[ -x "$WORK/out/nft" ] && [ -f "$WORK/out/nft.8.gz" ]; then
	exit 0
fi

die() { echo "nftables-patches: $*" >&2; exit 1; }

ver=$(dpkg-query -W -f='${Version}' nftables 2>/dev/null || true)
[ -n "$ver" ] || die "nftables is not installed (make deps)"
upstream=${ver#*:}
upstream=${upstream%-*}

# Debian's source tree in $WORK/dl/nftables-$upstream (patches of the
# Debian revision applied).
ensure_source() {
	local dl=$WORK/dl dir=$WORK/dl/nftables-$upstream p
	[ -f "$dir/configure.ac" ] && return 0
	mkdir -p "$dl"
	if ! ls "$dl"/nftables_*.dsc >/dev/null 2>&1; then
		(cd "$dl" && apt-get source -q --download-only "nftables=$ver" >/dev/null 2>&1) || true
	fi
	if ls "$dl"/nftables_*.orig.tar.* >/dev/null 2>&1; then
		(cd "$dl" && dpkg-source -q -x nftables_*.dsc "nftables-$upstream" >/dev/null 2>&1) ||
			die "cannot unpack the nftables $ver source package"
		return 0
	fi
	echo "nftables-patches: the nftables $ver source package cannot be fetched whole" \
		"(no upstream tarball from the archive): the patched nft is not built"
	return 1
}

# Debian's generated man page of the same version.
ensure_manpage() {
	local tmp
	[ -f "$WORK/dl/nft.8" ] && return 0
	tmp=$(mktemp -d)
	(cd "$tmp" && apt-get download -q "nftables=$ver" >/dev/null 2>&1) ||
		{ rm -rf "$tmp"; die "cannot download the nftables $ver package (its man page)"; }
	dpkg-deb -x "$tmp"/nftables_*.deb "$tmp/x"
	zcat "$tmp/x/usr/share/man/man8/nft.8.gz" > "$WORK/dl/nft.8"
	rm -rf "$tmp"
}

ensure_source || { rm -rf "$WORK/out" "$WORK/stamp"; exit 0; }
ensure_manpage
rm -rf "$WORK/src" "$WORK/out"
cp -a "$WORK/dl/nftables-$upstream" "$WORK/src"
cd "$WORK/src"
for p in $PATCHES; do
	echo "nftables-patches: applying $(basename "$p")"
	patch -p1 -s --no-backup-if-mismatch < "$TOP/$p" ||
		die "$(basename "$p") does not apply"
done
echo "nftables-patches: configuring nftables"
[ -x configure ] || sh autogen.sh >/dev/null 2>&1 || die "autogen.sh failed (autoconf, automake, libtool)"
./configure -q --with-json --with-xtables --without-cli --disable-man-doc \
	--disable-python --enable-static --disable-shared >/dev/null ||
	die "configure failed"
echo "nftables-patches: building"
make -s -j"$(nproc)" >/dev/null 2>"$WORK/build.log" || { cat "$WORK/build.log"; die "build failed"; }
if ldd src/nft | grep -q libnftables; then
	die "src/nft links the shared libnftables"
fi
mkdir -p "$WORK/out"
cp src/nft "$WORK/out/nft"
cp "$WORK/dl/nft.8" "$WORK/out/nft.8"
patch -s -p1 -d "$WORK/out" < "$TOP/nftables-patches/nft.8.patch" || die "nft.8.patch does not apply"
gzip -n -9 -f "$WORK/out/nft.8"
echo "nftables-patches: built $WORK/out/nft and nft.8.gz"
echo "$stamp" > "$WORK/stamp"
