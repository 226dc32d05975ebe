#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# nfext example firewall for a small router: a LAN and two uplinks.
# Run it on the router (the demo runs it in the router's namespace):
#
#   LAN=lan0 WAN_A=wana WAN_B=wanb examples/firewall.sh
#
# Every rule form nfext serves is used once; a part whose module or plugin
# is missing on this machine is reported and skipped, never half-applied.
set -eu
LAN=${LAN:-lan0}
WAN_A=${WAN_A:-wana}
WAN_B=${WAN_B:-wanb}
QUEUE=${QUEUE:-0}

# 1. Anti-spoofing (rp_filter in netfilter), counted in raw PREROUTING,
#    before conntrack. Strict everywhere: a packet passes if the best route
#    back to its source leaves through the interface it came in on. On the
#    two uplinks the feasible mode (nfext's --feasible) also lets in traffic
#    whose source has any route through that uplink, a backup default route
#    included, so that the internet may answer on either uplink; a source of
#    a more specific prefix (the LAN) still fails there.
for ipt in iptables ip6tables; do
	$ipt -t raw -N ANTISPOOF
	$ipt -t raw -A ANTISPOOF -m rpfilter -j RETURN
	for wan in "$WAN_A" "$WAN_B"; do
		$ipt -t raw -A ANTISPOOF -i "$wan" -m rpfilter --feasible -j RETURN 2>/dev/null ||
			echo "firewall.sh: $ipt rpfilter --feasible unavailable (needs nfext): $wan stays strict" >&2
	done
	$ipt -t raw -A ANTISPOOF -j DROP
	$ipt -t raw -A PREROUTING -j ANTISPOOF
done

# 2. Strong host model with nft fib: a packet for one of the router's own
#    addresses is taken only on the interface that owns that address.
nft -f - <<NFT
table inet nfext_demo {
	chain input {
		type filter hook input priority filter; policy accept;
		fib daddr . iif type local counter accept comment "strong-host-ok"
		fib daddr type { broadcast, multicast } accept
		meta nfproto ipv6 ip6 daddr fe80::/10 accept
		fib daddr type local counter drop comment "strong-host-drop"
	}
}
NFT

# 3. Timeout policy: LAN TCP to port 22 gets 3000 s in ESTABLISHED.
if command -v ct-timeout >/dev/null 2>&1; then
	ct-timeout add ssh_short inet tcp established 3000
	iptables -t raw -A PREROUTING -i "$LAN" -p tcp --dport 22 -j CT --timeout ssh_short
fi

# 4. DPI offload with fail-open: forwarded TCP to port 5201 goes through
#    queue $QUEUE; when the inspector falls behind and the queue is full,
#    packets are accepted instead of dropped. WITH_NFQUEUE=nft writes the
#    same rules in nft syntax (`queue flags fail-open`), which needs nfext's
#    nft (build/nftables/out/nft; NFT names it) and nft_queue module.
case ${WITH_NFQUEUE:-} in
"") ;;
nft)
	${NFT:-nft} -f - <<NFT
table inet nfext_demo {
	chain forward {
		type filter hook forward priority filter; policy accept;
		tcp dport 5201 counter queue flags fail-open to $QUEUE
		tcp sport 5201 counter queue flags fail-open to $QUEUE
	}
}
NFT
	;;
*)
	iptables -A FORWARD -p tcp --dport 5201 -j NFQUEUE --queue-num "$QUEUE" --fail-open
	iptables -A FORWARD -p tcp --sport 5201 -j NFQUEUE --queue-num "$QUEUE" --fail-open
	;;
esac
