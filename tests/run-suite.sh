#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Guest side of the test run: for each area (a folder of tests/), load the
# modules the area lists in tests/AREA/modules (nfext's own, before anything
# could autoload an in-tree equivalent), block the in-tree modules listed in
# tests/AREA/block, then run every scenario tests/AREA/[0-9]*.sh and write a
# line "pass|fail|skip AREA/NAME SECONDS" to $NFEXT_RESULTS for each.
#
#   tests/run-suite.sh AREA... [-- FILTER]
set -u
REPO=$(cd "$(dirname "$0")/.." && pwd)
RESULTS=${NFEXT_RESULTS:-/nfext-out/results}
TMO=$(( ${NFEXT_SCENARIO_TIMEOUT:-600} * ${NFEXT_TIME_SCALE:-1} ))
KMEMLEAK=/sys/kernel/debug/kmemleak
areas=()
filter=
while [ $# -gt 0 ]; do
	case $1 in
	--) filter=${2:-}; break ;;
	*) areas+=("$1") ;;
	esac
	shift
done

record() { echo "$1 $2 $3" >> "$RESULTS"; }

NFEXT_REPO=$REPO
. "$REPO/tests/lib/modules.sh"

# On a kernel with kmemleak (make check-debug): forget what was reported
# before the area, and after it scan twice and fail the area on any new
# suspected leak, with the report shown.
kmemleak_forget() {
	[ -w "$KMEMLEAK" ] || return 0
	echo scan > "$KMEMLEAK" 2>/dev/null
	echo clear > "$KMEMLEAK" 2>/dev/null
}
kmemleak_check() {
	local area=$1 report
	[ -w "$KMEMLEAK" ] || return 0
	# kmemleak reports only objects older than 5 s, unreferenced twice.
	sleep 6
	echo scan > "$KMEMLEAK" 2>/dev/null
	echo scan > "$KMEMLEAK" 2>/dev/null
	report=$(cat "$KMEMLEAK" 2>/dev/null)
	if [ -n "$report" ]; then
		echo "--- fail $area/kmemleak: suspected leaks:"
		echo "$report" | head -n 120
		record fail "$area/kmemleak" 0
	else
		echo "--- pass $area/kmemleak"
		record pass "$area/kmemleak" 0
	fi
}

for area in "${areas[@]}"; do
	dir=$REPO/tests/$area
	[ -d "$dir" ] || { echo "no such area: $area"; record fail "$area/setup" 0; continue; }
	block_area_modules "$dir"
	kmemleak_forget
	# an area may need longer scenarios (tests/AREA/timeout, seconds)
	tmo=$TMO
	[ -f "$dir/timeout" ] &&
		tmo=$(( $(grep -v '^#' "$dir/timeout") * ${NFEXT_TIME_SCALE:-1} ))
	setup_ok=1
	load_area_modules "$dir" || setup_ok=0
	if [ "$setup_ok" = 0 ]; then
		record fail "$area/load-modules" 0
		continue
	fi
	for t in "$dir"/[0-9]*.sh; do
		[ -x "$t" ] || continue
		name=$area/$(basename "$t" .sh)
		case $name in *"$filter"*) ;; *) continue ;; esac
		echo "=== $name"
		start=$(date +%s)
		(cd "$dir" && timeout -k 5 "$tmo" "$t")
		rc=$?
		secs=$(( $(date +%s) - start ))
		case $rc in
		0) echo "--- pass $name (${secs}s)"; record pass "$name" "$secs" ;;
		77) echo "--- skip $name (${secs}s)"; record skip "$name" "$secs" ;;
		124) echo "--- fail $name: timed out after ${tmo}s"; record fail "$name" "$secs" ;;
		*) echo "--- fail $name (exit $rc, ${secs}s)"; record fail "$name" "$secs" ;;
		esac
	done
	kmemleak_check "$area"
done
exit 0
