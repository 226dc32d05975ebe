#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# NFQUEUE verdict cost by queue depth (runs in the guest, loads what it
# needs). A listener (nfq-listener -k) holds DEPTH UDP datagrams, then gives
# single verdicts newest first; the first $TIMED of them are timed (a batch
# verdict settles the rest). Nanoseconds per verdict as the listener sees
# them, median of the timed ones (the sendmsg() of a verdict runs the
# kernel's verdict handler, reinjection included; the verdict is drop, so
# no forwarding is timed).
# nfext and the in-tree module alternate, $ROUNDS rounds, medians.
cd "$(dirname "$0")" || exit 1
source ../lib/common.sh
source ../lib/modules.sh
NFQ_IPT=iptables-legacy
source ../nfqueue/lib.sh
source ./nfq.sh
ROUNDS=${NFQ_VERDICT_ROUNDS:-3}
DEPTHS=${NFQ_VERDICT_DEPTHS:-512 4096 16384 65536}
TIMED=${NFQ_VERDICT_TIMED:-256}

[ -x "$NFQ_BIN/nfq-listener" ] || die "nfq-listener not built"

topo

# cost DEPTH: ns per verdict at queue depth DEPTH with the modules in use.
cost() {
	local i v
	listener rtr v -q 3 -c meta -l "$1" -R 67108864 -k "$1" -T "$TIMED" -o newest -D
	udp_records cli 10.0.2.2 7100 0 "$1"
	for i in $(seq 3000); do
		v=$(sed -n 's/.* \([0-9]*\) ns per verdict/\1/p' "$NFQ_TMP/v.out")
		[ -n "$v" ] && break
		sleep 0.1
	done
	grep -q "settled $1 " "$NFQ_TMP/v.out" || v=0
	kill -TERM "$LPID" 2>/dev/null
	wait "$LPID" 2>/dev/null
	echo "${v:-0}"
}

declare -A res
for round in $(seq "$ROUNDS"); do
	if [ $((round % 2)) -eq 1 ]; then order="nfext intree"; else order="intree nfext"; fi
	for impl in $order; do
		use "$impl"
		nsrun rtr "$IPT" -A FORWARD -p udp --dport 7100 -j NFQUEUE --queue-num 3
		for d in $DEPTHS; do
			v=$(cost "$d")
			res[$impl.$d]+="$v "
			echo "round $round $impl depth $d: $v ns per verdict" >&2
		done
		nsrun rtr "$IPT" -F FORWARD
	done
done
unload

med() { echo "${res[$1]}" | tr ' ' '\n' | grep . | median; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }

first=${DEPTHS%% *}
echo "### NFQUEUE: cost of a verdict by queue depth"
echo
echo "Nanoseconds per single verdict (lower is better), verdicts given newest first by nfq-listener -k DEPTH -T $TIMED -o newest -D: DEPTH datagrams held, the newest $TIMED settled one by one, each timed around its sendmsg() call (verdict drop); per round the median of the $TIMED, then the median of $ROUNDS rounds, nfext and in-tree nfnetlink_queue alternating in one boot. Growth: the figure / the same module's figure at depth $first."
echo
echo "| queue depth | nfext ns/verdict | growth | in-tree ns/verdict | growth | nfext / in-tree |"
echo "|---:|---:|---:|---:|---:|---:|"
n0=$(med "nfext.$first")
i0=$(med "intree.$first")
for d in $DEPTHS; do
	n=$(med "nfext.$d")
	i=$(med "intree.$d")
	echo "| $d | $n | $(ratio "$n" "$n0") | $i | $(ratio "$i" "$i0") | $(ratio "$n" "$i") |"
done
echo
echo "Per round (ns/verdict): $(for k in $(printf '%s\n' "${!res[@]}" | sort -V); do printf '%s: %s; ' "$k" "${res[$k]% }"; done)"
