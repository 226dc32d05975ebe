#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make lint: checkpatch.pl --no-tree -f on every kernel source file, and a
# W=1 build of every module that must print no warning.
set -u
cd "$(dirname "$0")/.."
CP=build/checkpatch/scripts/checkpatch.pl
if [ ! -x "$CP" ]; then
	tmp=$(mktemp -d)
	(cd "$tmp" && apt-get download -q linux-source-6.1 >/dev/null 2>&1) ||
		{ echo "lint: cannot download linux-source-6.1"; exit 2; }
	dpkg -x "$tmp"/linux-source-6.1_*.deb "$tmp/x"
	mkdir -p build/checkpatch
	tar -xJf "$tmp"/x/usr/src/linux-source-6.1.tar.xz -C build/checkpatch \
		--strip-components=1 --wildcards '*/scripts/checkpatch.pl' \
		'*/scripts/spelling.txt' '*/scripts/const_structs.checkpatch'
	rm -rf "$tmp"
fi
rc=0
files=$(find kernel -name '*.[ch]' ! -name '*.mod.c' | sort)
for f in $files; do
	if ! out=$("$CP" --no-tree --quiet --show-types -f "$f" 2>&1); then
		echo "$out"
		rc=1
	fi
done
n=$(echo "$files" | grep -c .)
if [ "$rc" -eq 0 ]; then echo "lint: checkpatch clean on $n kernel files"; fi
# W=1 build: any warning fails.
log=$(make -s modules 2>&1)
if echo "$log" | grep -E 'warning:|error:'; then
	echo "lint: the W=1 module build warns"
	rc=1
else
	echo "lint: W=1 build of the modules has no warning"
fi
exit $rc
