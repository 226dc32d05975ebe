#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make lint: checkpatch.pl --no-tree -f on every kernel source file, and a
# W=1 build of every module that must print no warning.
set -u
cd "$(dirname "$0")/.."
CP=build/checkpatch/scripts/checkpatch.pl
if [ ! -x "$CP" ]; then
	. tests/lib/linux-source.sh
	msg=$(linux_source_extract build/checkpatch 1 '*/scripts/checkpatch.pl' \
		'*/scripts/spelling.txt' '*/scripts/const_structs.checkpatch') ||
		{ echo "lint: $msg"; exit 2; }
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
