#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Host side of `make bench`: one guest boot runs every benchmark (nfext
# against the in-tree module, alternating, medians); the tables they print
# are written to tests/bench/RESULTS.md with the date and the command.
#   tests/bench/run.sh [FILTER]     (FILTER: a part of a bench script's name)
# A filtered run leaves tests/bench/RESULTS.md alone: its tables go to
# build/bench/RESULTS.md, to be added to the committed file by hand.
set -u
cd "$(dirname "$0")/../.." || exit 2
out=build/bench
rm -rf "$out"
mkdir -p "$out"
tests/bench/variants.sh "$(tests/vm/vm.sh kver)" ||
	echo "bench: an ablation variant is not built; its rows are left out"
NFEXT_BENCH_FILTER=${1:-} NFEXT_VM_OUT=$PWD/$out NFEXT_VM_TIMEOUT=3000 \
	tests/vm/vm.sh run env NFEXT_BENCH_FILTER="${1:-}" tests/bench/guest.sh
rc=$?
if [ ! -s "$out/bench.md" ]; then
	echo "bench: no results (guest status $rc)"
	exit 1
fi
results=tests/bench/RESULTS.md
[ -n "${1:-}" ] && results=$out/RESULTS.md
{
	echo "<!-- SPDX-License-Identifier: GPL-2.0 -->"
	echo "# nfext benchmark results"
	echo
	echo "Date: $(date -u '+%Y-%m-%d %H:%M UTC'). Command: \`make bench\`${1:+ (filter: $1)}."
	echo "Machine: $(nproc) cores, QEMU TCG guest (kernel $(tests/vm/vm.sh kver)), one boot for all"
	echo "rows; nfext and the in-tree module alternate within that boot. Ratios are nfext / in-tree"
	echo "(each table says whether lower or higher is better)."
	echo
	cat "$out/bench.md"
} > "$results"
echo "bench: wrote $results"
exit $rc
