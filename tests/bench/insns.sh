#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Host side of `make bench-insns`: instructions, not time, per queued
# packet. Boots one guest with the QEMU plugin tests/tools/qemu-insns
# (counts the instructions the guest executes: user space, kernel core,
# module area), runs tests/bench/insns-nfq.sh in it and prints the table of
# kernel instructions per packet for nfext's nfnetlink_queue, the in-tree
# one and the noids variant (tests/bench/variants.sh). The table goes to
# build/bench-insns/insns.md; tests/bench/RESULTS.md gets it by hand.
#   NFQ_INSNS_ROUNDS (5), NFQ_INSNS_PKTS (8192), NFQ_INSNS_IMPLS ("nfext
#   intree noids"; any build under build/bench-variants/NAME) pass to the guest;
#   NFQ_INSNS_PROF=1 adds a profile by kernel function (insns-prof.py),
#   build/bench-insns/prof.md.
set -u
cd "$(dirname "$0")/../.." || exit 2
out=$PWD/build/bench-insns
plugin=$(tests/tools/qemu-insns/build.sh) || exit 2
rm -rf "$out"
mkdir -p "$out"
: > "$out/insns.on"
tests/bench/variants.sh "$(tests/vm/vm.sh kver)" ||
	echo "bench-insns: the noids variant is not built; its rows are left out"
prof=off
[ "${NFQ_INSNS_PROF:-0}" = 1 ] && prof=on
NFEXT_VM_OUT=$out NFEXT_VM_QEMU_ARGS="-plugin $plugin,dir=$out,prof=$prof" \
	NFEXT_VM_TIMEOUT=3000 tests/vm/vm.sh run env NFQ_INSNS_ROUNDS="${NFQ_INSNS_ROUNDS:-5}" \
	NFQ_INSNS_PROF="${NFQ_INSNS_PROF:-0}" NFQ_INSNS_IMPLS="${NFQ_INSNS_IMPLS:-nfext intree noids}" \
	NFQ_INSNS_PKTS="${NFQ_INSNS_PKTS:-8192}" tests/bench/insns-nfq.sh
rc=$?
log=$out/insns-nfq.log
if [ $rc -ne 0 ] || [ ! -s "$log" ]; then
	echo "bench-insns: no results (guest status $rc)"
	exit 1
fi
# Pair each start reading with its end: per round, module and phase the
# packets held and the instructions per packet (kernel = core + modules).
awk '{ split($1, l, "."); k = l[1] "." l[2] "." l[3]
       if (l[4] == "start") { u[k] = $2; c[k] = $3; m[k] = $4; next }
       n = l[5]; if (l[1] == 0 || n <= 0) next
       printf "%s %s %s %d %.1f %.1f %.1f\n", l[1], l[2], l[3], n,
	      ($3 - c[k] + $4 - m[k]) / n, ($4 - m[k]) / n, ($2 - u[k]) / n }' \
	"$log" > "$out/per-round.txt"
med() { sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.1f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
col() { awk -v i="$1" -v p="$2" -v f="$3" '$2 == i && $3 == p { print $f }' "$out/per-round.txt"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.3f", a / b; else print "-" }'; }
rounds=$(awk '{ print $1 }' "$out/per-round.txt" | sort -u | wc -l)
{
	echo "### Kernel instructions per queued packet (make bench-insns)"
	echo
	echo "Counted by the QEMU plugin tests/tools/qemu-insns in one guest boot, $rounds rounds, the modules"
	echo "taking turns in an order that rotates; medians. Per round and module: ${NFQ_INSNS_PKTS:-8192}"
	echo "64-byte UDP datagrams queued to a stopped listener (phase enqueue: sending, routing,"
	echo "NFQUEUE, the handler's messages), then the listener let go (phase verdict: reading, batch"
	echo "verdicts every 32, reinjection and forwarding). Kernel = core image + module area; the"
	echo "module column is the module area alone (nfnetlink_queue and every other module on the"
	echo "path). Lower is better; the ratio is nfext / in-tree of the medians and the median of the"
	echo "per-round ratios."
	echo
	echo "| phase | module | kernel insns/packet | per round | module area | ratio | per-round ratio |"
	echo "|---|---|---:|---|---:|---:|---:|"
	for p in enqueue verdict; do
		ib=$(col intree $p 5 | med)
		for i in $(awk '{ print $2 }' "$out/per-round.txt" | sort -u | grep -v '^intree$') intree; do
			[ -n "$(col $i $p 5)" ] || continue
			v=$(col $i $p 5 | med)
			pr=$(paste <(col $i $p 5) <(col intree $p 5) |
				awk '{ printf "%.4f\n", $1 / $2 }' | med)
			echo "| $p | $i | $v | $(col $i $p 5 | tr '\n' ' ' | sed 's/ $//') |" \
				"$(col $i $p 6 | med) | $(ratio "$v" "$ib") | $pr |"
		done
	done
	echo
	echo "Packets held per phase (of ${NFQ_INSNS_PKTS:-8192} sent): $(awk '$3 == "enqueue" { print $4 }' "$out/per-round.txt" | sort -g | uniq -c | awk '{ printf "%s%s x %s", s, $2, $1; s = ", " }')."
} > "$out/insns.md"
cat "$out/insns.md"
if [ "$prof" = on ]; then
	python3 tests/bench/insns-prof.py "$out" > "$out/prof.md" && cat "$out/prof.md"
fi
