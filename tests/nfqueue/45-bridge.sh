#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The bridge family: an nft bridge table queues the echo requests crossing
# a bridge (queue 5). An accepting listener lets them through and sees
# each one; a dropping listener stops them; a holding listener on a queue
# of 4 with the queue flag lets the rest pass (fail-open) while without it
# they are dropped; with no listener, "bypass" accepts.
cd "$(dirname "$0")" && source ../lib/common.sh && source ./lib.sh
need_bins
assert_ours nfnetlink_queue xt_NFQUEUE
netns ba bsw bb
veth ba eth0 bsw pa
veth bb eth0 bsw pb
ip -n bsw link add br0 type bridge
ip -n bsw link set pa master br0
ip -n bsw link set pb master br0
ip -n bsw link set br0 up
ip -n ba addr add 10.9.0.1/24 dev eth0
ip -n bb addr add 10.9.0.2/24 dev eth0
nsrun ba ping -c1 -W2 10.9.0.2 >/dev/null || die "bridge topology: no ping"

# bridge_rule [bypass]: queue every echo request crossing br0 to queue 5.
bridge_rule() {
	nsrun bsw nft flush ruleset
	nsrun bsw nft -f - <<-NFT
	table bridge q {
		chain c {
			type filter hook forward priority 0; policy accept;
			ip protocol icmp icmp type echo-request counter queue num 5 $1
		}
	}
	NFT
}
queued_rule_pkts() {
	nsrun bsw nft list chain bridge q c | sed -n 's/.*counter packets \([0-9]*\).*/\1/p'
}

ok "nft bridge rule queueing echo requests to queue 5" bridge_rule
listener bsw acc -q 5
eq "accepting listener: 10 of 10 pings across the bridge" "$(pings ba 10.9.0.2 10)" 10
stop acc "$LPID"
eq "the listener saw the 10 requests" "$(stat_of acc packets)" 10
eq "the bridge rule queued 10" "$(queued_rule_pkts)" 10

listener bsw drp -q 5 -D
eq "dropping listener: no ping across the bridge" "$(pings ba 10.9.0.2 5)" 0
stop drp "$LPID"
eq "the dropping listener saw the 5 requests" "$(stat_of drp packets)" 5

listener bsw hold -q 5 -l 4 -H
eq "holding listener, queue of 4, no fail-open: no ping" "$(pings ba 10.9.0.2 8)" 0
eq "4 held" "$(nfq_proc bsw 5 3)" 4
eq "4 dropped as queue full" "$(nfq_proc bsw 5 6)" 4
stop hold "$LPID"

listener bsw holdf -q 5 -l 4 -H -f
eq "holding listener with the queue flag: 4 of 8 pings pass" "$(pings ba 10.9.0.2 8)" 4
eq "4 fail-open accepts" "$(nfq_proc bsw 5 10)" 4
eq "nothing dropped" "$(nfq_proc bsw 5 6)" 0
stop holdf "$LPID"

eq "no listener, no bypass: no ping" "$(pings ba 10.9.0.2 3)" 0
ok "the same rule with bypass" bridge_rule bypass
eq "no listener, bypass: 5 of 5 pings" "$(pings ba 10.9.0.2 5)" 5
finish
