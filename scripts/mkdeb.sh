#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# `make deb`: build nfext's binary packages (nfext-dkms, nfext) with
# dpkg-buildpackage from a copy of the tree's sources in build/deb/src
# (never the developer's build products), then run lintian on them. The
# .deb files land in build/deb/.
#
#   scripts/mkdeb.sh [--version V] [--out DIR]
#
# --version V builds the same sources as version V (a changelog entry added
# in the copy only): tests/package uses it for an upgrade N -> N+1.
# The patched iptables build (build/iptables: its downloaded source and
# built plugins) is seeded into the copy, so that it is not fetched again.
set -eu
cd "$(dirname "$0")/.."
TOP=$PWD
ver= out=$TOP/build/deb
while [ $# -gt 0 ]; do
	case $1 in
	--version) ver=$2; shift 2 ;;
	--out) out=$2; shift 2 ;;
	*) echo "usage: mkdeb.sh [--version V] [--out DIR]" >&2; exit 2 ;;
	esac
done
case $out in /*) ;; *) out=$TOP/$out ;; esac
for t in dpkg-buildpackage dh dh_dkms lintian; do
	command -v "$t" >/dev/null || { echo "mkdeb: $t is missing: run make deps" >&2; exit 1; }
done
src=$TOP/build/deb/src
rm -rf "$src"
mkdir -p "$src/nfext" "$out"
# the tracked and the new (not ignored) files: what a clean checkout has
git ls-files -z -c -o --exclude-standard | xargs -0 cp --parents -t "$src/nfext"
# files deleted in the work tree but still tracked are skipped by cp: fine
if [ -d build/iptables/dl ]; then
	mkdir -p "$src/nfext/build"
	cp -a build/iptables "$src/nfext/build/"
fi
cd "$src/nfext"
if [ -n "$ver" ]; then
	{
		echo "nfext ($ver) bookworm; urgency=medium"
		echo
		echo "  * Rebuilt as $ver (scripts/mkdeb.sh --version)."
		echo
		echo " -- nfext developers <nfext@example.org>  $(date -R)"
		echo
		cat debian/changelog
	} > debian/changelog.new
	mv debian/changelog.new debian/changelog
fi
ver=$(dpkg-parsechangelog -S Version)
echo "mkdeb: building nfext $ver"
dpkg-buildpackage -b -us -uc > "$src/build.log" 2>&1 ||
	{ tail -n 40 "$src/build.log"; echo "mkdeb: dpkg-buildpackage failed (log: $src/build.log)" >&2; exit 1; }
cd "$src"
arch=$(dpkg --print-architecture)
debs="nfext-dkms_${ver}_all.deb nfext_${ver}_${arch}.deb"
for d in $debs; do
	[ -f "$d" ] || { echo "mkdeb: $d was not built" >&2; exit 1; }
	mv "$d" "$out/"
done
rm -rf "$src"
cd "$out"
echo "mkdeb: lintian"
# shellcheck disable=SC2086
lintian --fail-on error --suppress-tags-from-file "$TOP/debian/lintian-kept" $debs
for d in $debs; do echo "mkdeb: $out/$d"; done
