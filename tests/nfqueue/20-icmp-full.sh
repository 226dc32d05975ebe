#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# ICMP through a full queue: a listener holds every packet (queue length
# 16) so the queue stays full. Without fail-open the pings beyond the 16
# held are dropped; with --fail-open in the rule, or the queue flag, they
# (and their replies) are accepted and counted in the 10th proc field.
# A queue of length 0 (valid: every packet finds it full) drops every
# packet, or accepts it with fail-open. (Queue length 0 sized the id
# table with roundup_pow_of_two(0): a UBSAN report on the debug kernel.)
cd "$(dirname "$0")" && source ../lib/common.sh && source ./lib.sh
need_bins
assert_ours nfnetlink_queue xt_NFQUEUE
topo

log "no fail-open"
ok "rule: -p icmp -j NFQUEUE --queue-num 0" ipt rtr -A FORWARD -p icmp -j NFQUEUE --queue-num 0
listener rtr hold1 -q 0 -l 16 -H
eq "no echo reply through a full queue" "$(pings cli 10.0.2.2 24)" 0
eq "16 requests held" "$(nfq_proc rtr 0 3)" 16
eq "8 requests dropped as queue full" "$(dropped_pkts rtr 0)" 8
eq "no fail-open accepts" "$(nfq_proc rtr 0 10)" 0
stop hold1 "$LPID"
eq "queue gone with its listener" "$(nfq_proc rtr 0 1)" ""
ipt rtr -F FORWARD

log "--fail-open in the rule"
ok "rule: -p icmp -j NFQUEUE --queue-num 0 --fail-open" ipt rtr -A FORWARD -p icmp -j NFQUEUE --queue-num 0 --fail-open
listener rtr hold2 -q 0 -l 16 -H
eq "8 of 24 echo replies (16 requests held)" "$(pings cli 10.0.2.2 24)" 8
eq "16 requests held" "$(nfq_proc rtr 0 3)" 16
eq "16 fail-open accepts (8 requests, 8 replies)" "$(nfq_proc rtr 0 10)" 16
eq "nothing dropped" "$(dropped_pkts rtr 0)" 0
stop hold2 "$LPID"
ipt rtr -F FORWARD

log "queue flag set by the listener"
ok "rule: -p icmp -j NFQUEUE --queue-num 0" ipt rtr -A FORWARD -p icmp -j NFQUEUE --queue-num 0
listener rtr hold3 -q 0 -l 16 -H -f
eq "8 of 24 echo replies (16 requests held)" "$(pings cli 10.0.2.2 24)" 8
eq "16 fail-open accepts" "$(nfq_proc rtr 0 10)" 16
eq "nothing dropped" "$(dropped_pkts rtr 0)" 0
stop hold3 "$LPID"
ipt rtr -F FORWARD

log "queue length 0"
ok "rule: -p icmp -j NFQUEUE --queue-num 0" ipt rtr -A FORWARD -p icmp -j NFQUEUE --queue-num 0
listener rtr zero1 -q 0 -l 0 -H
eq "no echo reply through a queue of length 0" "$(pings cli 10.0.2.2 6)" 0
eq "nothing held" "$(nfq_proc rtr 0 3)" 0
eq "6 requests dropped as queue full" "$(dropped_pkts rtr 0)" 6
stop zero1 "$LPID"
ipt rtr -F FORWARD
ok "rule: -p icmp -j NFQUEUE --queue-num 0 --fail-open" ipt rtr -A FORWARD -p icmp -j NFQUEUE --queue-num 0 --fail-open
listener rtr zero2 -q 0 -l 0 -H
eq "6 of 6 echo replies through a queue of length 0 with --fail-open" "$(pings cli 10.0.2.2 6)" 6
eq "12 fail-open accepts (6 requests, 6 replies)" "$(nfq_proc rtr 0 10)" 12
eq "nothing dropped" "$(dropped_pkts rtr 0)" 0
stop zero2 "$LPID"
finish
