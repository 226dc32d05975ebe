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
TMO=${NFEXT_SCENARIO_TIMEOUT:-600}
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

# load_ko FILE: modprobe FILE's dependencies from the image, then insmod it.
load_ko() {
	local f=$1 name dep
	name=$(modinfo -F name "$f")
	[ -d "/sys/module/$name" ] && return 0
	for dep in $(modinfo -F depends "$f" | tr ',' ' '); do
		[ -d "/sys/module/$dep" ] && continue
		modprobe "$dep" || { echo "cannot load $dep for $name"; return 1; }
	done
	insmod "$f"
}

for area in "${areas[@]}"; do
	dir=$REPO/tests/$area
	[ -d "$dir" ] || { echo "no such area: $area"; record fail "$area/setup" 0; continue; }
	if [ -f "$dir/block" ]; then
		grep -v '^#' "$dir/block" | while read -r m; do
			[ -n "$m" ] && echo "install $m /bin/false"
		done >> /etc/modprobe.d/nfext-block.conf
	fi
	setup_ok=1
	if [ -f "$dir/modules" ]; then
		while read -r m; do
			case $m in ''|'#'*) continue ;; esac
			if ! load_ko "$REPO/$m"; then
				echo "FAIL: cannot load $m"
				setup_ok=0
			fi
		done < "$dir/modules"
	fi
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
		(cd "$dir" && timeout -k 5 "$TMO" "$t")
		rc=$?
		secs=$(( $(date +%s) - start ))
		case $rc in
		0) echo "--- pass $name (${secs}s)"; record pass "$name" "$secs" ;;
		77) echo "--- skip $name (${secs}s)"; record skip "$name" "$secs" ;;
		124) echo "--- fail $name: timed out after ${TMO}s"; record fail "$name" "$secs" ;;
		*) echo "--- fail $name (exit $rc, ${secs}s)"; record fail "$name" "$secs" ;;
		esac
	done
done
exit 0
