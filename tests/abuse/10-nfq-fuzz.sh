#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# nfq-fuzz's random and malformed queue config, verdict and batch verdict
# messages (bind/unbind storms, bad flags and copy modes, unknown and stale
# ids, mangled payloads, truncated attributes) against four queues that a
# ping flood and UDP streams fill through --fail-open and plain NFQUEUE
# rules. Afterwards no queue is left, the modules' references are back and
# a listener on a plain rule passes exactly the pings sent.
cd "$(dirname "$0")" && source ../lib/common.sh && source ../nfqueue/lib.sh && source ./lib.sh
need_bins
assert_ours nfnetlink_queue xt_NFQUEUE
topo
refs_save nfnetlink_queue xt_NFQUEUE
ok "rule" ipt rtr -A FORWARD -p icmp -j NFQUEUE --queue-balance 30:33 --queue-bypass --fail-open
ok "rule" ipt rtr -A FORWARD -p udp -j NFQUEUE --queue-balance 30:33
flood cli 10.0.2.2
ip netns exec cli bash -c 'exec 3>/dev/udp/10.0.2.2/9; while :; do printf x >&3; done' 2>/dev/null &
NFQ_PIDS+=($!)
before=$(bad_dmesg)
n=$(size 1000000 100000)
t0=$(date +%s)
out=$(nsrun rtr timeout "$(tscale 1800)" "$NFQ_BIN/nfq-fuzz" -n "$n" -s "$ABUSE_SEED" -q 30 -Q 4)
rc=$?
log "$out"
eq "nfq-fuzz finished" "$rc" 0
contains "nfq-fuzz sent $n messages" "$out" "sent $n "
ge "the fuzzer met real packets" "$(echo "$out" | sed -n 's/.*packets seen \([0-9]*\).*/\1/p')" 1
result "nfq messages $n seed $ABUSE_SEED seconds $(( $(date +%s) - t0 )) ($out)"
eq "no oops or warning in dmesg" "$(bad_dmesg)" "$before"
kill "${NFQ_PIDS[@]}" 2>/dev/null
wait 2>/dev/null
sleep "$(tscale 1)"
eq "no queue left once the fuzzer's sockets closed" \
	"$(nsrun rtr cat /proc/net/netfilter/nfnetlink_queue | wc -l)" 0
ipt rtr -F FORWARD
refs_back nfnetlink_queue xt_NFQUEUE
ok "rule" ipt rtr -A FORWARD -p icmp -j NFQUEUE --queue-num 30
listener rtr after -q 30
eq "queueing works after the fuzzing" "$(pings cli 10.0.2.2 5)" 5
stop after "$LPID"
finish
