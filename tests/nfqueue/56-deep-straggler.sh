#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# One packet stays in the queue while thousands pass (a straggler): the
# ids in the queue's id table are then far apart and share slots, so
# verdicts must find packets past occupied and emptied slots. Queue length
# 64, the listener settles every 32 shuffled; every datagram that was not
# dropped as queue full arrives exactly once, no verdict is refused, and
# only the straggler is left.
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
kill "$RPID" 2>/dev/null
wait "$RPID" 2>/dev/null
got=$(grep -c ping "$NFQ_TMP/got")
eq "delivered once each (dups)" "$(grep -o 'ping-[0-9]*' "$NFQ_TMP/got" | sort | uniq -d | wc -l)" 0
eq "delivered + dropped as queue full + the straggler = 3000" "$((got + $(dropped_pkts rtr 0) + 1))" 3000
ge "most delivered (ids spread over many times the table)" "$got" 500
stop strag "$LPID"
eq "no verdict refused" "$(stat_of strag verdict-errors)" 0
finish
