#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# nft queue fail-open benchmark (runs in the guest, loads what it needs):
# the original scenario of 30-nfqueue.sh driven by a native nft rule.
# iperf3 TCP throughput through a router whose rule queues the transfer to
# a listener needing 50 ms per packet, queue length 16: no queue at all,
# `queue to 0` (fail-open off), `queue flags fail-open to 0` (nfext only)
# and, for comparison, iptables' --fail-open rule; nfext's nft_queue and
# nfnetlink_queue against the in-tree ones, alternating, 5 rounds, medians.
cd "$(dirname "$0")" || exit 1
source ../lib/common.sh
source ../lib/modules.sh
NFQ_IPT=iptables-legacy
source ../nfqueue/lib.sh
NFT=$NFEXT_REPO/build/nftables/out/nft
ROUNDS=${NFQ_BENCH_ROUNDS:-5}
SECS=4

[ -x "$NFQ_BIN/nfq-listener" ] || die "nfq-listener not built"
[ -x "$NFT" ] || skip "the patched nft is not built (Debian's nftables source package could not be fetched whole)"

use() {
	unload_mods nft_queue xt_NFQUEUE nfnetlink_queue || die "cannot unload $UNLOAD_STUCK"
	if [ "$1" = nfext ]; then
		load_ko "$(ko nfnetlink_queue)" && load_ko "$(ko xt_NFQUEUE)" &&
			load_ko "$(ko nft_queue)" || die "cannot load nfext's modules"
		is_ours nft_queue && is_ours nfnetlink_queue || die "nfext's modules not in use"
	else
		modprobe --ignore-install nfnetlink_queue &&
			modprobe --ignore-install xt_NFQUEUE &&
			modprobe --ignore-install nft_queue || die "cannot load in-tree modules"
		is_ours nft_queue && die "in-tree nft_queue not in use"
	fi
}

topo
ip netns exec srv iperf3 -s -D -p 5201 -I "$NFQ_TMP/iperf.pid" >/dev/null 2>&1 || die "iperf3 server"
sleep 0.5

# 30-nfqueue.sh's tcp_mbit (iperf3 receiver Mbit/s of one SECS-second run
# from a fresh client port in 6001-6999, the ports the rules queue), taken
# from it rather than copied, and median from nfq.sh.
TMP=$NFQ_TMP
eval "$(sed -n -e '/^tcp_mbit() {/,/^}/p' 30-nfqueue.sh)"
eval "$(sed -n -e '/^median() /p' nfq.sh)"
declare -F tcp_mbit median >/dev/null || die "30-nfqueue.sh/nfq.sh lack tcp_mbit/median"
echo 6000 > "$TMP/port"

# one CASE: a throughput figure with the modules in use.
one() {
	local q
	case $1 in
	none) tcp_mbit; return ;;
	off) q="queue to 0" ;;
	nft) q="queue flags fail-open to 0" ;;
	ipt) nsrun rtr "$IPT" -A FORWARD -p tcp -m multiport --ports 6001:6999 \
		-j NFQUEUE --queue-num 0 --fail-open ;;
	esac
	if [ -n "${q:-}" ]; then
		nsrun rtr "$NFT" add rule inet b fw tcp sport 6001-6999 "$q"
		nsrun rtr "$NFT" add rule inet b fw tcp dport 6001-6999 "$q"
	fi
	listener rtr l -q 0 -l 16 -d 50 -F
	tcp_mbit
	kill -TERM "$LPID" 2>/dev/null
	wait "$LPID" 2>/dev/null
	nsrun rtr "$NFT" flush chain inet b fw
	nsrun rtr "$IPT" -F FORWARD
}

declare -A res
for round in $(seq "$ROUNDS"); do
	if [ $((round % 2)) -eq 1 ]; then order="nfext intree"; else order="intree nfext"; fi
	for impl in $order; do
		use "$impl"
		nsrun rtr "$NFT" add table inet b
		nsrun rtr "$NFT" add chain inet b fw '{ type filter hook forward priority 0; }'
		cases="none off"
		[ "$impl" = nfext ] && cases="none off nft ipt"
		for c in $cases; do
			v=$(one "$c")
			res[$impl.$c]+="$v "
			[ "$c" = none ] && none=$v
			res[$impl.$c.pct]+="$(awk -v a="$v" -v b="$none" 'BEGIN { if (b > 0) printf "%.4f", 100 * a / b; else print 0 }') "
			echo "round $round $impl $c: $v Mbit/s" >&2
		done
		nsrun rtr "$NFT" delete table inet b
	done
done
unload_mods nft_queue xt_NFQUEUE nfnetlink_queue

med() { echo "${res[$1]}" | tr ' ' '\n' | grep . | median; }
pct() { printf '%.2f%%' "$(med "$1")"; }

echo "### nft queue fail-open: the original scenario with a native nft rule"
echo
echo "iperf3 TCP throughput (Mbit/s, median of $ROUNDS rounds of ${SECS} s) cli -> router -> srv, the router's nft rule (inet table, forward hook) queueing the transfer to a listener sleeping 50 ms per packet, queue length 16; % of no queue: median over the rounds of the figure / the same round's no-queue figure. nfext's nft_queue + nfnetlink_queue and the in-tree ones alternate in one boot."
echo
echo "| case | nfext Mbit/s | % of no queue | in-tree Mbit/s | % of no queue |"
echo "|---|---:|---:|---:|---:|"
echo "| no queue at all | $(med nfext.none) | $(pct nfext.none.pct) | $(med intree.none) | $(pct intree.none.pct) |"
echo "| \`queue to 0\` (fail-open off) | $(med nfext.off) | $(pct nfext.off.pct) | $(med intree.off) | $(pct intree.off.pct) |"
echo "| \`queue flags fail-open to 0\` | $(med nfext.nft) | $(pct nfext.nft.pct) | n/a (flag unknown to the in-tree module) | - |"
echo "| iptables \`-j NFQUEUE --fail-open\` (same boot) | $(med nfext.ipt) | $(pct nfext.ipt.pct) | not supported | - |"
echo
echo "Per round (Mbit/s): $(for k in nfext.none nfext.off nfext.nft nfext.ipt intree.none intree.off; do printf '%s: %s; ' "$k" "${res[$k]% }"; done)"
