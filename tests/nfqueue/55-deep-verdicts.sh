#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Deep queues and verdicts out of order (the queue's id table): a listener
# holds thousands of UDP datagrams "ping-N" and settles them shuffled, or
# with single and batch verdicts mixed. Every datagram must arrive exactly
# once and the right ones must be dropped (N%3 = 0) or marked (N%3 = 1, the
# mark is dropped in POSTROUTING). Verdicts for settled and unknown ids are
# refused with ENOENT. The queue's maxlen shrinks under held packets, the
# packet ids wrap around (id_base), and a listener killed with a deep queue
# leaves no packet behind (skbuff_head_cache back to its start).
cd "$(dirname "$0")" && source ../lib/common.sh && source ./lib.sh
deep_setup
ok "rule: mark 7 dropped after the queue" ipt rtr -t mangle -A POSTROUTING -m mark --mark 7 -j DROP
KEEP=(-q 0 -c packet -r 64 -R 8388608)
ENOENT="No such file or directory"
ID_BASE=/sys/module/nfnetlink_queue/parameters/id_base

# settled NAME [ROUNDS]: wait until listener NAME settled its packets ROUNDS
# times (and answered the refused verdicts), then for the receiver to drain.
settled() {
	local i
	for i in $(seq 1200); do
		[ "$(grep -c "never given" "$NFQ_TMP/$1.out")" -ge "${2:-1}" ] && break
		sleep 0.1
	done
	for i in $(seq 50); do
		[ "$(nfq_proc rtr 0 3)" = 0 ] && break
		sleep 0.1
	done
	sleep 1
	kill "$RPID" 2>/dev/null
	wait "$RPID" 2>/dev/null
	port=$((port + 1))
}

# expect FROM COUNT [payload]: the records that should arrive (all, or
# with "payload" those with N%3 = 2) vs what arrived: "dups missing extra".
expect() {
	local want=$NFQ_TMP/want have=$NFQ_TMP/have
	seq -f 'ping-%010g' "$1" $(($1 + $2 - 1)) |
		if [ "${3:-}" = payload ]; then awk '{ n = substr($0, 6) + 0 } n % 3 == 2'; else cat; fi |
		sort > "$want"
	grep -o 'ping-[0-9]*' "$NFQ_TMP/got" | sort > "$have"
	echo "$(uniq -d "$have" | wc -l) $(comm -23 "$want" "$have" | wc -l)" \
		"$(sort -u "$have" | comm -13 "$want" - | wc -l)"
}

refused() { grep -c "again: $ENOENT\|never given: $ENOENT" "$NFQ_TMP/$1.out"; }

log "2000 held, verdicts shuffled, by payload (drop / mark / accept)"
listener rtr shuf "${KEEP[@]}" -l 3000 -k 2000 -o shuffle -P -m 7 -E
send 0 2000
settled shuf
contains "2000 held and settled shuffled" "$(cat "$NFQ_TMP/shuf.out")" "settled 2000 (shuffle)"
eq "each N%3=2 datagram once, none missing, none of the others (dups missing extra)" "$(expect 0 2000 payload)" "0 0 0"
eq "the 667 marked ones (N%3=1) dropped by the mark rule" "$(rule_pkts rtr POSTROUTING 1 mangle)" 667
eq "settled newest, settled oldest and unknown ids refused with ENOENT" "$(refused shuf)" 3
eq "nothing left in the queue" "$(nfq_proc rtr 0 3)" 0
stop shuf "$LPID"

log "1500 held, maxlen shrunk to 100 under them, single and batch verdicts mixed"
listener rtr mixed "${KEEP[@]}" -l 2000 -k 1500 -o mixed -K 100 -E
send 10000 1500
settled mixed
contains "maxlen changed with 1500 held" "$(cat "$NFQ_TMP/mixed.out")" "maxlen 100 with 1500 held: done"
eq "every datagram once (dups missing extra)" "$(expect 10000 1500)" "0 0 0"
eq "ids settled by single and batch verdicts, and unknown, refused with ENOENT" "$(refused mixed)" 3
eq "nothing left in the queue" "$(nfq_proc rtr 0 3)" 0
# 150 more: the listener holds them until none came for a second
send 20000 150
settled mixed 2
eq "new maxlen in force: 50 of 150 dropped as queue full" "$(dropped_pkts rtr 0)" 50
eq "the 100 held delivered once each (dups delivered)" \
	"$(grep -o 'ping-[0-9]*' "$NFQ_TMP/got" | sort | uniq -d | wc -l) $(grep -c ping "$NFQ_TMP/got")" "0 100"
stop mixed "$LPID"

log "packet ids wrapping around (id_base 2^32-301), shuffled by payload"
ok "id_base near the wrap" sh -c "echo $((2 ** 32 - 301)) > $ID_BASE"
listener rtr wrap1 "${KEEP[@]}" -l 1000 -k 600 -o shuffle -P -m 7 -E
send 30000 600
settled wrap1
contains "600 settled" "$(cat "$NFQ_TMP/wrap1.out")" "settled 600 (shuffle)"
eq "each N%3=2 datagram once across the wrap (dups missing extra)" "$(expect 30000 600 payload)" "0 0 0"
eq "refused ids across the wrap: ENOENT" "$(refused wrap1)" 3
eq "last id given: 299 (wrapped)" "$(nfq_proc rtr 0 8)" 299
stop wrap1 "$LPID"

log "a batch verdict across the wrap (id_base 2^32-201, batch up to id 99)"
ok "id_base near the wrap" sh -c "echo $((2 ** 32 - 201)) > $ID_BASE"
listener rtr wrap2 "${KEEP[@]}" -l 1000 -k 600 -o mixed -E
send 40000 600
settled wrap2
eq "every datagram once (dups missing extra)" "$(expect 40000 600)" "0 0 0"
eq "refused ids: ENOENT" "$(refused wrap2)" 3
eq "nothing left in the queue" "$(nfq_proc rtr 0 3)" 0
stop wrap2 "$LPID"
ok "id_base back to 0" sh -c "echo 0 > $ID_BASE"

log "listener killed holding 3000 packets"
skbs() { slab_active skbuff_head_cache; }
s0=$(skbs)
listener rtr dead -q 0 -l 4000 -H -R 8388608
send 50000 3000
for i in $(seq 100); do
	[ "$(nfq_proc rtr 0 3)" = 3000 ] && break
	sleep 0.1
done
eq "3000 held" "$(nfq_proc rtr 0 3)" 3000
s1=$(skbs)
ge "skbuff_head_cache grew with them ($s0 -> $s1)" "$s1" $((s0 + 2700))
kill -9 "$LPID"
wait "$LPID" 2>/dev/null
eq "queue gone with the killed listener" "$(nfq_proc rtr 0 1)" ""
s2=$(slab_settle skbuff_head_cache $((s0 + 400)))
ok "skbuff_head_cache back to its start ($s0 -> $s1 -> $s2)" test "$s2" -le $((s0 + 400))
eq "none of the held datagrams delivered" "$(grep -c ping "$NFQ_TMP/got")" 0
kill "$RPID" 2>/dev/null
finish
