#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Per-rule fail-open, zero false accepts: two rules feed one full queue,
# UDP without --fail-open and ICMP with it. Every UDP datagram beyond the
# held ones is dropped (none reaches the server, none counted as fail-open)
# while every ping passes; the fail-open count is exactly the ICMP packets.
cd "$(dirname "$0")" && source ../lib/common.sh && source ./lib.sh
need_bins
assert_ours nfnetlink_queue xt_NFQUEUE
topo
ipt srv -A INPUT -p udp --dport 7000 -j DROP

ok "rule: -p udp -j NFQUEUE --queue-num 3" ipt rtr -A FORWARD -p udp -j NFQUEUE --queue-num 3
ok "rule: -p icmp -j NFQUEUE --queue-num 3 --fail-open" ipt rtr -A FORWARD -p icmp -j NFQUEUE --queue-num 3 --fail-open
listener rtr hold -q 3 -l 16 -H

udp_send cli 10.0.2.2 7000 16
eq "queue full with 16 datagrams" "$(nfq_proc rtr 3 3)" 16
udp_send cli 10.0.2.2 7000 50
eq "50 datagrams dropped as queue full" "$(dropped_pkts rtr 3)" 50
eq "rule without --fail-open: no fail-open accept" "$(nfq_proc rtr 3 10)" 0

eq "pings through the --fail-open rule pass" "$(pings cli 10.0.2.2 20)" 20
eq "fail-open accepts: exactly the 40 ICMP packets" "$(nfq_proc rtr 3 10)" 40

udp_send cli 10.0.2.2 7000 50
eq "UDP still dropped after the pings" "$(dropped_pkts rtr 3)" 100
eq "fail-open accepts unchanged" "$(nfq_proc rtr 3 10)" 40
eq "no datagram reached the server" "$(rule_pkts srv INPUT 1)" 0
eq "UDP rule matched 116 datagrams" "$(rule_pkts rtr FORWARD 1)" 116
stop hold "$LPID"
finish
