#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build Debian's iptables with nfext's patch series applied and collect the
# xtables plugins the series changes.
#
# The source is Debian's iptables source package (`apt-get source`; a deb-src
# entry is added if the machine has none). Every iptables-patches/*.patch is
# applied in name order with `patch -p1`. Every extension the series touches
# (extensions/libxt_FOO.c and friends) is rebuilt and its .so copied into
# build/xtables, where the tests find it first through XTABLES_LIBDIR; its
# man fragment (extensions/libxt_FOO.man) goes to build/iptables/out.
# Nothing is rebuilt while the patches and the source are unchanged.
set -eu
cd "$(dirname "$0")/.."
TOP=$PWD
WORK=$TOP/build/iptables
OUTDIR=${NFEXT_XTLIBDIR:-$TOP/build/xtables}
PATCHES=$(ls iptables-patches/*.patch 2>/dev/null | sort) || true
[ -n "$PATCHES" ] || exit 0

stamp=$(cat $PATCHES "$0" | sha256sum | cut -c1-16)
if [ -f "$WORK/stamp" ] && [ "$(cat "$WORK/stamp")" = "$stamp" ] &&
	ls "$WORK"/out/*.so >/dev/null 2>&1; then
	mkdir -p "$OUTDIR"
	cp "$WORK"/out/*.so "$OUTDIR"/
	exit 0
fi

ensure_source() {
	local ver
	ver=$(dpkg-query -W -f='${Version}' iptables 2>/dev/null || true)
	[ -n "$ver" ] || { echo "iptables-patches: iptables is not installed (make deps)"; exit 1; }
	mkdir -p "$WORK/dl"
	if ! ls -d "$WORK"/dl/iptables-*/ >/dev/null 2>&1; then
		if ! (cd "$WORK/dl" && apt-get source -q --download-only "iptables=$ver" >/dev/null 2>&1); then
			if [ "$(id -u)" -ne 0 ]; then
				echo "iptables-patches: no deb-src entry; run as root once"; exit 1
			fi
			add_deb_src
			(cd "$WORK/dl" && apt-get source -q --download-only "iptables=$ver" >/dev/null 2>&1) ||
				{ echo "iptables-patches: cannot fetch the iptables $ver source package"; exit 1; }
		fi
		(cd "$WORK/dl" && dpkg-source -q -x iptables_*.dsc >/dev/null 2>&1)
	fi
}

# A deb-src twin of every enabled Debian deb entry.
add_deb_src() {
	local f=/etc/apt/sources.list.d/nfext-deb-src.sources
	{
		echo "# SPDX-License-Identifier: GPL-2.0"
		echo "# Added by nfext (iptables-patches/build.sh) to fetch iptables' source."
		for s in /etc/apt/sources.list.d/*.sources; do
			[ "$s" = "$f" ] && continue
			awk 'BEGIN { RS=""; ORS="\n\n" }
			/Types:[^\n]*deb/ && /debian/ {
				sub(/Types:[^\n]*/, "Types: deb-src"); print }' "$s"
		done
	} > "$f"
	if [ -f /etc/apt/sources.list ] && grep -q '^deb .*debian' /etc/apt/sources.list; then
		sed -n 's/^deb \(.*\)/deb-src \1/p' /etc/apt/sources.list \
			> /etc/apt/sources.list.d/nfext-deb-src.list
	fi
	apt-get update -qq
}

ensure_source
SRC=$(ls -d "$WORK"/dl/iptables-*/ | head -n1)
rm -rf "$WORK/src" "$WORK/out"
cp -a "$SRC" "$WORK/src"
cd "$WORK/src"
for p in $PATCHES; do
	echo "iptables-patches: applying $(basename "$p")"
	patch -p1 -s --no-backup-if-mismatch < "$TOP/$p" ||
		{ echo "iptables-patches: $(basename "$p") does not apply"; exit 1; }
done
touched=$(for p in $PATCHES; do sed -n 's|^+++ [^/]*/extensions/\(lib[a-z0-9]*_[A-Za-z0-9]*\)\.c.*|\1|p' "$TOP/$p"; done | sort -u)
if [ ! -f Makefile ]; then
	echo "iptables-patches: configuring iptables"
	./configure -q --disable-nftables --disable-bpf-compiler --disable-nfsynproxy \
		--disable-libipq --disable-connlabel --disable-static >/dev/null
fi
echo "iptables-patches: building"
make -s -j"$(nproc)" -C libxtables >/dev/null
mkdir -p "$WORK/out"
for e in $touched; do
	make -s -C extensions "$e.so" >/dev/null
	cp "extensions/$e.so" "$WORK/out/"
	# its man fragment too, for nfext.8 (scripts/gen-nfext-man.sh)
	[ ! -f "extensions/$e.man" ] || cp "extensions/$e.man" "$WORK/out/"
	echo "iptables-patches: built $e.so"
done
echo "$stamp" > "$WORK/stamp"
mkdir -p "$OUTDIR"
cp "$WORK"/out/*.so "$OUTDIR"/
