#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A GSO packet (one UDP send of 20 segments) reaches a queue with room for
# 8 entries; the listener takes segments (no GSO flag) and never answers.
# Through a --fail-open rule, as through the queue flag, the first 8
# segments are queued and the other 12 pass; nothing is dropped. A second
# such packet, now that the queue is full, passes whole: 20 more
# datagrams at the server, 32 fail-open accepts in all. Without fail-open
# the 12 segments that do not fit are dropped (one queue-full drop, as
# mainline counts it), and the second packet, meeting a full queue, is
# dropped whole before it is segmented: one more drop, nothing delivered.
cd "$(dirname "$0")" && source ../lib/common.sh && source ./lib.sh
need_bins
assert_ours nfnetlink_queue xt_NFQUEUE
topo

# receiver: count the datagrams arriving at srv:7100 (one line each; a GSO
# packet delivered whole is split for the socket).
receiver() {
	rm -f "$NFQ_TMP/rx"
	ip netns exec srv python3 -u -c '
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("10.0.2.2", 7100))
print("ready", flush=True)
while True:
    s.recv(65535)
    print("x", flush=True)' > "$NFQ_TMP/rx" &
	RPID=$!
	NFQ_PIDS+=("$RPID")
	for i in $(seq 100); do
		grep -q ready "$NFQ_TMP/rx" 2>/dev/null && return 0
		sleep 0.05
	done
	die "receiver did not start"
}
received() { grep -c '^x' "$NFQ_TMP/rx"; }

# gso_send: one sendto() of 20 x 1000 bytes with UDP_SEGMENT from cli.
gso_send() {
	nsrun cli python3 -c '
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_UDP, 103, 1000)   # UDP_SEGMENT
s.sendto(b"x" * 20000, ("10.0.2.2", 7100))'
}

# settle: wait until the receiver's count stops moving.
settle() {
	local a b i
	b=$(received)
	for i in $(seq 20); do
		sleep 0.2
		a=$(received)
		[ "$a" = "$b" ] && break
		b=$a
	done
}

# fail_open HOW: the two sends through a fail-open rule or queue.
fail_open() {
	local how=$1
	eq "$how: 8 segments held in the queue" "$(nfq_proc rtr 4 3)" 8
	eq "$how: the other 12 reached the server" "$(received)" 12
	eq "$how: 12 fail-open accepts" "$(nfq_proc rtr 4 10)" 12
	eq "$how: no queue-full drops" "$(nfq_proc rtr 4 6)" 0
	eq "$how: no socket-full drops" "$(nfq_proc rtr 4 7)" 0
	ok "$how: a second GSO send, queue full" gso_send
	settle
	eq "$how: the whole second send reached the server" "$(received)" 32
	eq "$how: 32 fail-open accepts" "$(nfq_proc rtr 4 10)" 32
	eq "$how: queue still holds 8" "$(nfq_proc rtr 4 3)" 8
	eq "$how: still no drops" "$(nfq_proc rtr 4 6)" 0
}

# no_fail_open: the two sends through a rule and queue without fail-open.
no_fail_open() {
	eq "off: 8 segments held in the queue" "$(nfq_proc rtr 4 3)" 8
	eq "off: nothing reached the server" "$(received)" 0
	eq "off: one queue-full drop" "$(nfq_proc rtr 4 6)" 1
	ok "off: a second GSO send, queue full" gso_send
	settle
	eq "off: still nothing at the server" "$(received)" 0
	eq "off: two queue-full drops" "$(nfq_proc rtr 4 6)" 2
	eq "off: no fail-open accepts" "$(nfq_proc rtr 4 10)" 0
	eq "off: queue still holds 8" "$(nfq_proc rtr 4 3)" 8
}

for how in rule flag off; do
	receiver
	case $how in
	rule)
		ok "$how: -p udp --dport 7100 -j NFQUEUE --queue-num 4 --fail-open" \
			ipt rtr -A FORWARD -p udp --dport 7100 -j NFQUEUE --queue-num 4 --fail-open
		listener rtr hold -q 4 -l 8 -H -F ;;
	flag)
		ok "$how: -p udp --dport 7100 -j NFQUEUE --queue-num 4" \
			ipt rtr -A FORWARD -p udp --dport 7100 -j NFQUEUE --queue-num 4
		listener rtr hold -q 4 -l 8 -H -f ;;
	off)
		ok "$how: -p udp --dport 7100 -j NFQUEUE --queue-num 4" \
			ipt rtr -A FORWARD -p udp --dport 7100 -j NFQUEUE --queue-num 4
		listener rtr hold -q 4 -l 8 -H ;;
	esac
	ok "$how: one 20-segment UDP GSO send" gso_send
	settle
	if [ $how = off ]; then no_fail_open; else fail_open $how; fi
	stop hold "$LPID"
	kill "$RPID"
	wait "$RPID" 2>/dev/null
	ipt rtr -F FORWARD
done
finish
