#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The original report: a listener that needs 50 ms per packet, queue length
# 16, a TCP file transfer through a router queueing every TCP packet.
# Fail-open off: throughput collapses. On through the rule (--fail-open) or
# through the queue flag: the transfer completes, checksum intact. Switched
# at run time (SIGUSR1/SIGUSR2) mid-transfer: completes, checksum intact.
cd "$(dirname "$0")" && source ../lib/common.sh && source ./lib.sh
need_bins
assert_ours nfnetlink_queue xt_NFQUEUE
topo
make_file 2

log "fail-open off: rule without --fail-open, queue flag off"
ok "rule: -p tcp -j NFQUEUE --queue-num 0" ipt rtr -A FORWARD -p tcp -j NFQUEUE --queue-num 0
listener rtr off -q 0 -l 16 -d 50 -F
nok "2 MiB transfer does not complete in 5 s" transfer 5
log "received $RECV_BYTES bytes in ${XFER_MS} ms"
ok "throughput collapsed (< 10% of the file arrived)" test "$RECV_BYTES" -lt $((2 * 1048576 / 10))
ge "queue-full drops counted" "$(dropped_pkts rtr 0)" 1
eq "no fail-open accepts" "$(nfq_proc rtr 0 10)" 0
stop off "$LPID"
ipt rtr -F FORWARD

log "fail-open on through the rule"
ok "rule: -p tcp -j NFQUEUE --queue-num 0 --fail-open" ipt rtr -A FORWARD -p tcp -j NFQUEUE --queue-num 0 --fail-open
listener rtr rule -q 0 -l 16 -d 50 -F
ok "transfer completes, checksum intact" transfer 60
log "2 MiB in ${XFER_MS} ms"
ge "fail-open accepts counted" "$(nfq_proc rtr 0 10)" 1
eq "no queue-full drops" "$(dropped_pkts rtr 0)" 0
stop rule "$LPID"
ge "listener saw packets" "$(stat_of rule packets)" 1
ipt rtr -F FORWARD

log "fail-open on through the queue flag"
ok "rule: -p tcp -j NFQUEUE --queue-num 0" ipt rtr -A FORWARD -p tcp -j NFQUEUE --queue-num 0
listener rtr flag -q 0 -l 16 -d 50 -f
ok "transfer completes, checksum intact" transfer 60
log "2 MiB in ${XFER_MS} ms"
ge "fail-open accepts counted" "$(nfq_proc rtr 0 10)" 1
eq "no queue-full drops" "$(dropped_pkts rtr 0)" 0
stop flag "$LPID"

log "fail-open switched by the listener mid-transfer"
listener rtr toggle -q 0 -l 16 -d 50 -F
(transfer 60; echo $? > "$NFQ_TMP/xrc") &
xpid=$!
sleep 2
stalled=$(stat -c %s "$NFQ_TMP/recv" 2>/dev/null || echo 0)
log "after 2 s with fail-open off: $stalled bytes"
ok "transfer stalled while off" test "$stalled" -lt $((2 * 1048576 / 4))
kill -USR1 "$LPID"; sleep 1
kill -USR2 "$LPID"; sleep 1
kill -USR1 "$LPID"
wait "$xpid"
eq "transfer completes, checksum intact" "$(cat "$NFQ_TMP/xrc")" 0
ge "fail-open accepts counted" "$(nfq_proc rtr 0 10)" 1
stop toggle "$LPID"
eq "three switches acknowledged by the kernel" \
	"$(grep -c 'switch done' "$NFQ_TMP/toggle.out")" 3
finish
