#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The queue's lifecycle under traffic: a listener holding GSO packets of a
# TCP transfer SIGKILLed again and again (bypass finishes the transfer
# intact); the input or output device deleted while packets for it are
# held (the queue lets them go); verdicts for unknown, already-given and
# wrapped ids refused; maxlen, flags and copy mode changed while the queue
# is full; two threads giving verdicts for the same packets at once.
cd "$(dirname "$0")" && source ../lib/common.sh && source ../nfqueue/lib.sh && source ./lib.sh
# Flaky in make check on 2026-11-30 (two runs, two different steps: the
# ids step once saw no packet reach queue 12; the threads step once left
# 12 of 300 packets held with every verdict pair answered): under
# investigation (tests/RESULTS.md), so make abuse only until explained.
[ "$ABUSE_FULL" = 1 ] || skip "runs in make abuse only (intermittent failures under investigation, tests/RESULTS.md)"
need_bins
assert_ours nfnetlink_queue xt_NFQUEUE
topo
kills=$(size 50 6)

log "listener with GSO packets held, SIGKILLed $kills times during one transfer"
make_file "$(size 16 4)"
ok "rule" ipt rtr -A FORWARD -p tcp -j NFQUEUE --queue-num 10 --queue-bypass
(transfer "$(tscale 300)"; echo $? > "$NFQ_TMP/xrc") &
xpid=$!
held_max=0
for i in $(seq "$kills"); do
	# GSO packets, each held 20 ms: the kill finds some in the queue
	listener rtr gso -q 10 -G -d 20 -l 256
	for j in $(seq 40); do
		[ "$(nfq_proc rtr 10 3)" -ge 1 ] 2>/dev/null && break
		sleep 0.05
	done
	h=$(nfq_proc rtr 10 3)
	[ "${h:-0}" -gt "$held_max" ] && held_max=$h
	kill -9 "$LPID"
	wait "$LPID" 2>/dev/null
	sleep "$(tscale 0.5)"
done
ge "packets were held when the listeners died" "$held_max" 1
wait "$xpid"
eq "the transfer completes intact after $kills kills" "$(cat "$NFQ_TMP/xrc")" 0
ipt rtr -F FORWARD

log "devices deleted with packets held"
for dev in eth1 eth0; do
	ok "rule" ipt rtr -A FORWARD -p udp -j NFQUEUE --queue-num 11
	listener rtr dev -q 11 -H -l 64
	udp_send cli 10.0.2.2 9 20
	sleep "$(tscale 0.3)"
	ge "packets held before $dev goes" "$(nfq_proc rtr 11 3)" 1
	nsrun rtr ip link del "$dev"
	sleep "$(tscale 0.3)"
	eq "no packet held once rtr's $dev is gone" "$(nfq_proc rtr 11 3)" 0
	stop dev "$LPID"
	kill "${NFQ_PIDS[@]}" 2>/dev/null
	topo
done
result "GSO listener kills $kills (most packets held $held_max), 2 devices deleted with packets held"

log "verdicts: unknown, repeated and wrapped ids"
ok "rule" ipt rtr -A FORWARD -p icmp -j NFQUEUE --queue-num 12
nsrun cli ping -q -i 0.1 -c 40 10.0.2.2 > /dev/null 2>&1 &
NFQ_PIDS+=($!)
ok "nfqverdict ids" nsrun rtr ./nfqverdict.py ids 12
ipt rtr -F FORWARD

log "maxlen, flags and copy mode changed while the queue is full"
ok "rule" ipt rtr -A FORWARD -p udp -j NFQUEUE --queue-num 13
(for i in $(seq 30); do udp_send cli 10.0.2.2 9 5 2>/dev/null; sleep 0.1; done) &
NFQ_PIDS+=($!)
ok "nfqverdict full" nsrun rtr ./nfqverdict.py full 13
ipt rtr -F FORWARD

n=$(size 5000 300)
log "two threads giving verdicts for the same $n packets"
ok "rule" ipt rtr -A FORWARD -p icmp --icmp-type echo-request -j NFQUEUE --queue-num 14
nsrun rtr ./nfqverdict.py threads 14 "$n" > "$NFQ_TMP/threads.out" 2>&1 &
vpid=$!
sleep "$(tscale 1)"
out=$(nsrun cli ping -n -q -i 0.01 -c "$n" -W 5 10.0.2.2 2>&1)
wait "$vpid"
eq "nfqverdict threads" "$?" 0
cat "$NFQ_TMP/threads.out"
contains "every ping answered once" "$out" "$n packets transmitted, $n received"
case $out in *duplicates*) fail "duplicate replies: a packet was reinjected twice" ;; esac
result "threads: $n packets, each given 2 concurrent verdicts"
finish
