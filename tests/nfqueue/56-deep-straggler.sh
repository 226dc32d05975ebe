#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# One packet stays in the queue while thousands pass (a straggler): the
# ids in the queue's id table are then far apart and share slots, so
# verdicts must find the right packet in a slot that held others. Queue
# length 64, the listener settles every 32 shuffled; only the straggler is
# left; its late verdict (its slot long given to later packets) finds it;
# every datagram that was not dropped as queue full arrives exactly once,
# the straggler included, and no verdict is refused.
cd "$(dirname "$0")" && source ../lib/common.sh && source ./lib.sh
deep_setup

log "a straggler held while 3000 others pass (maxlen 64: ids far apart share the table)"
listener rtr strag -q 0 -c packet -r 64 -R 8388608 -l 64 -k 32 -o shuffle -S
send 60000 3000
# at most 30 s (a broken id table leaves packets in the queue for good)
end=$((SECONDS + 30))
while [ "$SECONDS" -lt "$end" ]; do
	[ "$(nfq_proc rtr 0 3)" = 1 ] && [ "$(nfq_proc rtr 0 8)" -gt 1 ] && break
	sleep 0.1
done
sleep 1.5
eq "only the straggler left in the queue" "$(nfq_proc rtr 0 3)" 1
dropped=$(dropped_pkts rtr 0)
# its slot went to a later packet long ago: the verdict finds it by the walk
stop strag "$LPID"
eq "the straggler's late verdict taken" "$(sed -n 's/.*straggler id [0-9]*: //p' "$NFQ_TMP/strag.out")" accepted
sleep 1
kill "$RPID" 2>/dev/null
wait "$RPID" 2>/dev/null
got=$(grep -c ping "$NFQ_TMP/got")
eq "delivered once each (dups)" "$(grep -o 'ping-[0-9]*' "$NFQ_TMP/got" | sort | uniq -d | wc -l)" 0
eq "delivered (the straggler too) + dropped as queue full = 3000" "$((got + dropped))" 3000
ge "most delivered (ids spread over many times the table)" "$got" 500
eq "no verdict refused" "$(stat_of strag verdict-errors)" 0
finish
