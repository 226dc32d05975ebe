#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# nft fib benchmark (runs in the guest, loads what it needs): per-packet
# cost of `fib saddr . iif oif missing drop`, nfext's modules against the
# in-tree ones, alternating in this one boot (rmmod/insmod between rounds).
#  - prerouting: UDP flood (64-byte datagrams, iperf3) from h1 to r, IPv4
#    and IPv6 (the IPv6 lookup of nfext takes no referenced dst);
#  - input: local TCP traffic (iperf3, MSS 256, GSO off) from h1 to
#    a socket in r: established sockets take nfext's socket fast path.
# r's main tables hold R more routes (10000 /24s and /64s by default, a
# small router's table) besides the connected ones.
# The chain holds K copies of the rule (none matches: all traffic is
# legitimate) and a counter. Cost is CPU time (all CPUs, /proc/stat busy
# time) per packet counted, so idle gaps of the TCG guest do not count;
# cost of one rule per packet = (median CPU per packet with K rules -
# median without) / K.
cd "$(dirname "$0")" || exit 1
source ../lib/common.sh
source ../lib/modules.sh
ROUNDS=${FIB_BENCH_ROUNDS:-5}
SECS=${FIB_BENCH_SECS:-3}
K=${FIB_BENCH_RULES:-100}
ROUTES=${FIB_BENCH_ROUTES:-10000}
MODS="nft_fib_inet nft_fib_netdev nft_fib_ipv4 nft_fib_ipv6 nft_fib"
PIDS=()
trap 'for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done; nfext_cleanup' EXIT

unload() {
	ip netns exec r nft flush ruleset 2>/dev/null
	# shellcheck disable=SC2086
	unload_mods $MODS || die "cannot unload $UNLOAD_STUCK"
}

use() {
	local m
	unload
	if [ "$1" = nfext ]; then
		for m in nft_fib nft_fib_ipv4 nft_fib_ipv6 nft_fib_inet; do
			load_ko "$(ko $m)" || die "cannot load nfext's $m"
		done
		is_ours nft_fib_inet || die "nfext's nft_fib_inet not in use"
	else
		modprobe nft_fib_inet || die "cannot load the in-tree nft_fib_inet"
		is_ours nft_fib && die "the in-tree nft_fib is not in use"
	fi
}

# ruleset HOOK N: N fib rules then a counter, in the hook
ruleset() {
	local i
	{
		echo "table inet b {"
		echo "chain c { type filter hook $1 priority 0; policy accept;"
		for i in $(seq "$2"); do
			echo "fib saddr . iif oif missing drop"
		done
		echo "counter comment \"n\"; }"
		echo "}"
	} | nsrun r nft -f - || die "cannot load the $1 ruleset"
}

pkts() {
	nsrun r nft list chain inet b c |
		sed -n '/comment "n"/s/.*packets \([0-9]*\).*/\1/p'
}

# busy: CPU time spent so far, all CPUs, in USER_HZ ticks (1/100 s)
busy() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9 }' /proc/stat; }

# measure POINT N: CPU nanoseconds per packet through the hook with N
# rules; POINT is prerouting, prerouting6 (IPv6 traffic) or input
measure() {
	local hook=${1%6} n=$2 p t0 t1
	nsrun r nft flush ruleset
	ruleset "$hook" "$n"
	t0=$(busy)
	if [ "$1" = prerouting6 ]; then
		nsrun h1 iperf3 -c fd01::1 -p 5201 -u -b 0 -l 64 -t "$SECS" >/dev/null 2>&1
	elif [ "$hook" = prerouting ]; then
		nsrun h1 iperf3 -c 10.1.0.1 -p 5201 -u -b 0 -l 64 -t "$SECS" >/dev/null 2>&1
	else
		nsrun h1 iperf3 -c 10.1.0.1 -p 5202 -M 256 -l 8192 -t "$SECS" >/dev/null 2>&1
	fi
	t1=$(busy)
	p=$(pkts)
	[ "${p:-0}" -gt 0 ] || die "no packets counted ($hook, $n rules)"
	echo $(((t1 - t0) * 10000000 / p))
}

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : int((v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }

netns r h1
veth r r1 h1 h1
ip -n r addr add 10.1.0.1/24 dev r1
ip -n h1 addr add 10.1.0.2/24 dev h1
ip -n r addr add fd01::1/64 dev r1 nodad
ip -n h1 addr add fd01::2/64 dev h1 nodad
awk -v n="$ROUTES" 'BEGIN { for (i = 0; i < n; i++)
	printf "route add 100.%d.%d.0/24 via 10.1.0.2\n", 64 + int(i / 256) % 64, i % 256 }' |
	ip -n r -batch - || die "cannot add $ROUTES routes"
awk -v n="$ROUTES" 'BEGIN { for (i = 0; i < n; i++)
	printf "route add fd64:%x::/64 via fd01::2\n", i }' |
	ip -n r -6 -batch - || die "cannot add $ROUTES IPv6 routes"
nsrun h1 ethtool -K h1 gso off tso off >/dev/null 2>&1
nsrun r ethtool -K r1 gro off >/dev/null 2>&1
nsrun r iperf3 -s -p 5201 >/dev/null 2>&1 &
PIDS+=($!)
nsrun r iperf3 -s -p 5202 >/dev/null 2>&1 &
PIDS+=($!)
sleep 1
modprobe nf_tables

TMP=$(mktemp -d)
declare -A base
use nfext
# Each round: the bare chains (no fib rule: the same for both), then
# nfext and in-tree, in alternating order from round to round.
for r in $(seq "$ROUNDS"); do
	order="nfext intree"
	[ $((r % 2)) -eq 0 ] && order="intree nfext"
	for hook in prerouting prerouting6 input; do
		base[$hook]=$(measure "$hook" 0)
		echo "${base[$hook]}" >> "$TMP/bare-$hook"
	done
	for impl in $order; do
		use "$impl"
		for hook in prerouting prerouting6 input; do
			with=$(measure "$hook" "$K")
			echo "$with" >> "$TMP/$impl-$hook"
			echo "# round $r $impl $hook: ${base[$hook]} ns/pkt bare, ${with} ns/pkt with $K rules" >&2
		done
	done
done
unload

echo "### nft fib: \`fib saddr . iif oif missing drop\`, nfext vs in-tree"
echo "Per-packet CPU cost of one rule (ns of CPU time per packet; $K copies in the chain minus the bare chain, ${SECS}s of traffic per point; $ROUTES routes in the main table), medians of $ROUNDS alternating rounds in one QEMU TCG guest."
echo
echo "| hook | traffic | in-tree ns/pkt | nfext ns/pkt | nfext / in-tree | goal |"
echo "|---|---|---|---|---|---|"
for hook in prerouting prerouting6 input; do
	z=$(median < "$TMP/bare-$hook")
	a=$(( ($(median < "$TMP/intree-$hook") - z) / K ))
	b=$(( ($(median < "$TMP/nfext-$hook") - z) / K ))
	ratio=$(awk -v a="$a" -v b="$b" 'BEGIN { if (a > 0) printf "%.2f", b / a; else print "n/a" }')
	if [ "$hook" = prerouting ]; then
		echo "| prerouting | UDP flood, 64 B | $a | $b | ${ratio}x | <= 1.00x |"
	elif [ "$hook" = prerouting6 ]; then
		echo "| prerouting | IPv6 UDP flood, 64 B | $a | $b | ${ratio}x | <= 0.50x |"
	else
		echo "| input | local TCP (socket fast path) | $a | $b | ${ratio}x | <= 0.85x |"
	fi
done
rm -rf "$TMP"
