#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# 64 parallel TCP streams through a queue (accept-all listener, batch
# verdicts, fail-open rule), twice. After each run the queue holds
# nothing (queue_total back to 0); after the first (warm-up) run, the
# kernel's unreclaimable slab does not grow with the second.
cd "$(dirname "$0")" && source ../lib/common.sh && source ./lib.sh
need_bins
assert_ours nfnetlink_queue xt_NFQUEUE
topo
ok "rule" ipt rtr -A FORWARD -p tcp -j NFQUEUE --queue-num 0 --fail-open
listener rtr acc -q 0 -l 256 -b 16

slab_kb() {
	sync
	echo 3 > /proc/sys/vm/drop_caches
	sleep 1
	awk '/^SUnreclaim:/ { print $2 }' /proc/meminfo
}

ip netns exec srv iperf3 -s -D -p 5201 -I "$NFQ_TMP/iperf.pid" --logfile "$NFQ_TMP/iperf-s.log" ||
	die "iperf3 server"
sleep 0.5
slab=()
for run in 1 2; do
	out=$(nsrun cli iperf3 -c 10.0.2.2 -p 5201 -P 64 -t 2 -f m 2>&1)
	rc=$?
	eq "run $run: 64 streams done" "$rc" 0
	log "run $run: $(echo "$out" | grep SUM | grep receiver)"
	sleep 1
	eq "run $run: queue_total back to 0" "$(nfq_proc rtr 0 3)" 0
	slab+=("$(slab_kb)")
	log "run $run: SUnreclaim ${slab[-1]} kB"
done
ge "listener saw the streams" "$(nfq_proc rtr 0 8)" 1000
grow=$((slab[1] - slab[0]))
log "slab growth from run 1 to run 2: $grow kB"
ok "no slab growth (< 1024 kB)" test "$grow" -lt 1024
stop acc "$LPID"
eq "queue gone" "$(nfq_proc rtr 0 1)" ""
finish
