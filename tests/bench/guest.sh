#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Guest side of `make bench`: run every tests/bench/[0-9]*.sh in this one
# boot and collect the Markdown sections they print into /nfext-out/bench.md.
cd "$(dirname "$0")" || exit 1
out=${NFEXT_BENCH_OUT:-/nfext-out/bench.md}
: > "$out"
rc=0
for b in ./[0-9]*.sh; do
	[ -x "$b" ] || continue
	case $b in *"${NFEXT_BENCH_FILTER:-}"*) ;; *) continue ;; esac
	echo "##### $b" >&2
	"$b" > "$out.part"
	case $? in
	0) ;;
	77) echo "bench $b skipped" >&2 ;;
	*) echo "bench $b failed" >&2; rc=1 ;;
	esac
	cat "$out.part" >> "$out"
	echo >> "$out"
	cat "$out.part"
done
rm -f "$out.part"
exit $rc
