#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build the QEMU plugin insns.so (test-only) into build/test-tools/ and print
# its path. The plugin API header comes from Debian's source package of the
# installed QEMU, downloaded once into build/qemu-src/ (nothing of QEMU is
# committed here).
set -eu
dir=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$dir/../../.." && pwd)
out=$top/build/test-tools/insns.so
ver=$(dpkg-query -W -f='${source:Version}' qemu-system-x86 2>/dev/null) || {
	echo "qemu-insns: qemu-system-x86 is not installed" >&2; exit 1; }
src=$top/build/qemu-src/$ver
hdr=$src/qemu-plugin.h
if [ ! -f "$hdr" ]; then
	rm -rf "$src"
	mkdir -p "$src"
	(cd "$src" && apt-get source --download-only "qemu=$ver" >/dev/null 2>&1) || {
		echo "qemu-insns: cannot download the source package qemu $ver" >&2; exit 1; }
	tar -xJf "$src"/qemu_*.orig.tar.xz -C "$src" --wildcards --strip-components=3 \
		'*/include/qemu/qemu-plugin.h' || {
		echo "qemu-insns: no include/qemu/qemu-plugin.h in qemu $ver" >&2; exit 1; }
	rm -f "$src"/*.tar.* "$src"/*.dsc
fi
if [ ! -f "$out" ] || [ "$dir/insns.c" -nt "$out" ] || [ "$hdr" -nt "$out" ]; then
	mkdir -p "$(dirname "$out")"
	cc -O2 -Wall -Wextra -Werror -std=gnu11 -shared -fPIC -I"$src" \
		-o "$out" "$dir/insns.c" -lpthread
fi
echo "$out"
