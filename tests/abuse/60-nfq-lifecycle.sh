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

# verdicts STEP QUEUE ARG...: nfqverdict.py STEP QUEUE ARG... in rtr, in
# the background (VPID); returns once it has bound its queue, so that the
# step's traffic starts only then (packets queued before are dropped: no
# listener). Each step stops its traffic before the next one starts, so
# that no packet of one step reaches the next step's queue.
verdicts() {
	local i
	nsrun rtr ./nfqverdict.py "$@" > "$NFQ_TMP/$1.out" 2>&1 &
	VPID=$!
	for ((i = 0; i < $(tscale 300); i++)); do
		grep -q '^bound queue' "$NFQ_TMP/$1.out" && return 0
		kill -0 "$VPID" 2>/dev/null || break
		sleep 0.1
	done
	cat "$NFQ_TMP/$1.out"
	die "nfqverdict.py $1 did not bind queue $2"
}
# verdicts_done STEP TRAFFIC_PID: the step's result; its traffic stopped.
verdicts_done() {
	wait "$VPID"
	eq "nfqverdict $1" "$?" 0
	sed 's/^/# /' "$NFQ_TMP/$1.out"
	[ -n "${2:-}" ] && { kill "$2" 2>/dev/null; wait "$2" 2>/dev/null; }
	ipt rtr -F FORWARD
}

log "verdicts: unknown, repeated and wrapped ids"
ok "rule" ipt rtr -A FORWARD -p icmp -j NFQUEUE --queue-num 12
verdicts ids 12
# not through nsrun: $! must be ping itself, for verdicts_done to stop it
# (a ping left running would feed echo requests to a later step's queue)
ip netns exec cli ping -q -i 0.1 -c 40 10.0.2.2 > /dev/null 2>&1 &
verdicts_done ids $!

log "maxlen, flags and copy mode changed while the queue is full"
ok "rule" ipt rtr -A FORWARD -p udp -j NFQUEUE --queue-num 13
verdicts full 13
(for i in $(seq 30); do udp_send cli 10.0.2.2 9 5 2>/dev/null; sleep 0.1; done) &
verdicts_done full $!

n=$(size 5000 300)
log "two threads giving verdicts for the same $n packets"
# only this step's pings (their size) go to the queue. pingn.py sends
# exactly $n and waits for every reply (ping -c -w sends more while the
# replies are late: on the debug kernel 379 for 300, the extra ones stayed
# held once the threads had their 300)
ok "rule" ipt rtr -A FORWARD -p icmp --icmp-type echo-request -m length --length 1011 \
	-j NFQUEUE --queue-num 14
verdicts threads 14 "$n"
out=$(nsrun cli ./pingn.py 10.0.2.2 "$n" 983 0.01 "$(tscale 120)" 2>&1)
verdicts_done threads
eq "every ping answered exactly once" "$out" "sent $n received $n duplicates 0"
result "threads: $n packets, each given 2 concurrent verdicts"
finish
