#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Per-rule fail-open through native nft rules, mixed on one full queue with
# the legacy and nft front ends of iptables. Every rule queues to queue 3,
# which a listener holds full (16 packets). Rules with the flag (nft's
# `queue flags fail-open`, iptables' --fail-open either front end) let
# their packets through; rules without it (nft and iptables-nft) never do:
# zero false accepts, and the fail-open count is exactly the packets of the
# fail-open rules.
cd "$(dirname "$0")" && source ../lib/common.sh && source ./lib.sh
need_bins
assert_ours nfnetlink_queue xt_NFQUEUE nft_queue
topo
for p in 7000 7001 7002 7003 7004; do
	ipt srv -A INPUT -p udp --dport "$p" -j DROP
done

ok "nft: native rules on queue 3" nft_in rtr -f - <<'NFT'
table inet nfx {
	chain fw {
		type filter hook forward priority -10; policy accept;
		udp dport 7000 counter queue to 3 comment "plain"
		meta l4proto icmp counter queue flags fail-open to 3 comment "icmp-fo"
		udp dport 7003 counter queue flags bypass,fail-open to 3 comment "bypass-fo"
	}
}
NFT
ok "iptables-legacy: --fail-open on queue 3" ipt rtr -A FORWARD -p udp --dport 7001 -j NFQUEUE --queue-num 3 --fail-open
ok "iptables-nft: no flag on queue 3" nsrun rtr iptables-nft -A FORWARD -p udp --dport 7002 -j NFQUEUE --queue-num 3
ok "iptables-nft: --fail-open on queue 3" nsrun rtr iptables-nft -A FORWARD -p udp --dport 7004 -j NFQUEUE --queue-num 3 --fail-open
listener rtr hold -q 3 -l 16 -H

udp_send cli 10.0.2.2 7000 16
eq "queue full with 16 datagrams of the plain nft rule" "$(nfq_proc rtr 3 3)" 16
udp_send cli 10.0.2.2 7000 30
eq "plain nft rule: 30 datagrams dropped as queue full" "$(dropped_pkts rtr 3)" 30
eq "plain nft rule: no fail-open accept" "$(nfq_proc rtr 3 10)" 0

eq "pings through the nft fail-open rule pass" "$(pings cli 10.0.2.2 10)" 10
eq "fail-open accepts: the 20 ICMP packets" "$(nfq_proc rtr 3 10)" 20
udp_send cli 10.0.2.2 7003 7
udp_send cli 10.0.2.2 7001 5
udp_send cli 10.0.2.2 7004 4
udp_send cli 10.0.2.2 7002 9
eq "fail-open accepts: + 7 (nft bypass,fail-open) + 5 (legacy) + 4 (iptables-nft)" "$(nfq_proc rtr 3 10)" 36
eq "drops: + 9 of the iptables-nft rule without the flag" "$(dropped_pkts rtr 3)" 39

eq "server got the 7 datagrams of the nft bypass,fail-open rule" "$(rule_pkts srv INPUT 4)" 7
eq "server got the 5 datagrams of the legacy --fail-open rule" "$(rule_pkts srv INPUT 2)" 5
eq "server got the 4 datagrams of the iptables-nft --fail-open rule" "$(rule_pkts srv INPUT 5)" 4
eq "server got none of the plain nft rule" "$(rule_pkts srv INPUT 1)" 0
eq "server got none of the iptables-nft rule without the flag" "$(rule_pkts srv INPUT 3)" 0
eq "plain nft rule matched 46 datagrams" "$(nft_rule_pkts rtr inet nfx fw plain)" 46
eq "nft fail-open rule matched 20 ICMP packets" "$(nft_rule_pkts rtr inet nfx fw icmp-fo)" 20
stop hold "$LPID"

log "no listener: bypass,fail-open passes, fail-open alone drops like a plain rule"
eq "bypass,fail-open without listener" "$(udp_send cli 10.0.2.2 7003 3; rule_pkts srv INPUT 4)" 10
eq "fail-open without bypass and without listener: dropped" "$(pings cli 10.0.2.2 3)" 0
finish
