#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The listener is SIGKILLed mid-stream: its queue disappears with the
# packets it held, the rule's --queue-bypass takes over and the transfer
# completes intact. Then the modules are unloaded while a listener holds
# packets (no oops, the packets are dropped) and loaded again.
cd "$(dirname "$0")" && source ../lib/common.sh && source ./lib.sh
need_bins
assert_ours nfnetlink_queue xt_NFQUEUE
topo
make_file 2

ok "rule" ipt rtr -A FORWARD -p tcp -j NFQUEUE --queue-num 0 --queue-bypass
listener rtr slow -q 0 -l 64 -d 5 -b 4
(transfer 60; echo $? > "$NFQ_TMP/xrc") &
xpid=$!
for i in $(seq 100); do
	[ "$(stat -c %s "$NFQ_TMP/recv" 2>/dev/null || echo 0)" -gt 131072 ] && break
	sleep 0.1
done
ge "listener is getting packets" "$(nfq_proc rtr 0 8)" 1
ok "transfer under way" test "$(stat -c %s "$NFQ_TMP/recv")" -lt $((2 * 1048576))
kill -9 "$LPID"
wait "$LPID" 2>/dev/null
eq "queue gone with the killed listener" "$(nfq_proc rtr 0 1)" ""
wait "$xpid"
eq "transfer completes after the kill, checksum intact" "$(cat "$NFQ_TMP/xrc")" 0

log "SIGKILL of a listener holding a full queue, rule without bypass"
ipt rtr -F FORWARD
ok "rule" ipt rtr -A FORWARD -p icmp -j NFQUEUE --queue-num 1
listener rtr hold -q 1 -l 8 -H
eq "nothing passes a held queue" "$(pings cli 10.0.2.2 10)" 0
eq "8 held" "$(nfq_proc rtr 1 3)" 8
kill -9 "$LPID"
wait "$LPID" 2>/dev/null
eq "queue gone" "$(nfq_proc rtr 1 1)" ""
eq "no listener, no bypass: still dropped" "$(pings cli 10.0.2.2 3)" 0
listener rtr again -q 1 -l 8
eq "a new listener on the same queue works" "$(pings cli 10.0.2.2 5)" 5
stop again "$LPID"

log "module unload with packets queued"
listener rtr hold2 -q 1 -l 8 -H
pings cli 10.0.2.2 8 >/dev/null
eq "8 held" "$(nfq_proc rtr 1 3)" 8
ipt rtr -F FORWARD
ok "xt_NFQUEUE unloads" rmmod xt_NFQUEUE
# Safe either way: unloaded (held packets dropped) or refused while the
# listener holds packets, then unloaded once it is gone (no leaked ref).
if out=$(rmmod nfnetlink_queue 2>&1); then
	echo "ok: nfnetlink_queue unloaded with 8 packets held"
	kill -9 "$LPID"
	wait "$LPID" 2>/dev/null
else
	contains "unload refused only as in use" "$out" "in use"
	log "nfnetlink_queue refcnt $(cat /sys/module/nfnetlink_queue/refcnt) with 8 packets held"
	kill -9 "$LPID"
	wait "$LPID" 2>/dev/null
	sleep 0.5
	ok "nfnetlink_queue unloads once the listener is gone" rmmod nfnetlink_queue
fi
. ../lib/modules.sh
ok "nfnetlink_queue loads again" load_ko "$(ko nfnetlink_queue)"
ok "xt_NFQUEUE loads again" load_ko "$(ko xt_NFQUEUE)"
assert_ours nfnetlink_queue xt_NFQUEUE
ok "rule" ipt rtr -A FORWARD -p icmp -j NFQUEUE --queue-num 1
listener rtr after -q 1
eq "queueing works after the reload" "$(pings cli 10.0.2.2 5)" 5
stop after "$LPID"
finish
