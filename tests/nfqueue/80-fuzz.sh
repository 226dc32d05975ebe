#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# 100k random and malformed nfnetlink_queue config and verdict messages
# (nfq-fuzz) while a ping flood crosses the queues they bind and unbind:
# the guest keeps working (the harness fails the area on any oops/WARNING
# in dmesg) and queueing still works afterwards.
cd "$(dirname "$0")" && source ../lib/common.sh && source ./lib.sh
need_bins
assert_ours nfnetlink_queue xt_NFQUEUE
topo
ok "rule" ipt rtr -A FORWARD -p icmp -j NFQUEUE --queue-balance 30:33 --queue-bypass --fail-open
ok "rule" ipt rtr -A FORWARD -p udp -j NFQUEUE --queue-balance 30:33 --queue-bypass --fail-open

ip netns exec cli ping -f -q 10.0.2.2 > /dev/null 2>&1 &
fpid=$!
NFQ_PIDS+=("$fpid")
ip netns exec srv iperf3 -s -D -p 5201 -I "$NFQ_TMP/iperf.pid" || die "iperf3 server"
sleep 0.3
# UDP flows on 8 ports, spread over the 4 queues, for the whole run.
ip netns exec cli iperf3 -u -c 10.0.2.2 -p 5201 -P 8 -b 2M -l 200 -t 600 > /dev/null 2>&1 &
upid=$!
NFQ_PIDS+=("$upid")
dmesg_before=$(dmesg | grep -Ec 'BUG|WARNING|Oops|general protection')
out=$(nsrun rtr timeout "$(tscale 300)" "$NFQ_BIN/nfq-fuzz" -n 100000 -s "${NFQ_SEED:-$RANDOM}" -q 30 -Q 4)
rc=$?
log "$out"
eq "fuzzer finished its 100000 messages" "$rc" 0
contains "all sent" "$out" "sent 100000 "
ge "the fuzzer met real packets" "$(echo "$out" | sed -n 's/.*packets seen \([0-9]*\).*/\1/p')" 1
kill "$fpid" "$upid"
wait "$fpid" "$upid" 2>/dev/null
eq "no new oops or warning in dmesg" \
	"$(dmesg | grep -Ec 'BUG|WARNING|Oops|general protection')" "$dmesg_before"
sleep "$(tscale 1)"
eq "no queue left once the fuzzer's sockets closed" \
	"$(nsrun rtr cat /proc/net/netfilter/nfnetlink_queue | wc -l)" 0

ipt rtr -F FORWARD
ok "rule" ipt rtr -A FORWARD -p icmp -j NFQUEUE --queue-num 30
listener rtr after -q 30
eq "queueing works after the fuzzing" "$(pings cli 10.0.2.2 5)" 5
stop after "$LPID"
finish
