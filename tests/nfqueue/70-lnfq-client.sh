#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# An unmodified libnetfilter_queue client (built against Debian's
# libnetfilter-queue-dev) works with nfext's queue handler: it binds, gets
# packets with their metadata, sets a mark and rewrites the payload in its
# verdicts, and sets the queue's fail-open flag through the library.
cd "$(dirname "$0")" && source ../lib/common.sh && source ./lib.sh
need_bins
assert_ours nfnetlink_queue xt_NFQUEUE
topo

ok "rule" ipt rtr -A FORWARD -p udp --dport 7000 -j NFQUEUE --queue-num 4
ok "mark counter" ipt rtr -t mangle -A POSTROUTING -p udp --dport 7000 -m mark --mark 0x2a
ip netns exec rtr "$NFQ_BIN/nfq-lnfq-client" -q 4 -m 0x2a -x ping:pong -v \
	> "$NFQ_TMP/client.out" 2>&1 &
cpid=$!
NFQ_PIDS+=("$cpid")
for i in $(seq 100); do grep -q ready "$NFQ_TMP/client.out" && break; sleep 0.05; done
ok "client bound its queue" grep -q ready "$NFQ_TMP/client.out"
eq "client's queue listed in proc" "$(nfq_proc rtr 4 1)" 4
ip netns exec srv socat -u UDP-RECV:7000 "OPEN:$NFQ_TMP/udp.recv,creat,append" &
NFQ_PIDS+=("$!")
for i in $(seq 200); do
	nsrun srv ss -Hlun "sport = :7000" | grep -q . && break
	sleep 0.05
done
udp_send cli 10.0.2.2 7000 20
for i in $(seq 100); do
	[ "$(grep -o 'pong-' "$NFQ_TMP/udp.recv" 2>/dev/null | wc -l)" -ge 20 ] && break
	sleep 0.1
done
eq "20 datagrams arrived rewritten (ping -> pong)" \
	"$(grep -o 'pong-' "$NFQ_TMP/udp.recv" | wc -l)" 20
eq "no datagram arrived unmodified" \
	"$(grep -o 'ping-' "$NFQ_TMP/udp.recv" | wc -l)" 0
eq "the verdict's mark was applied to all 20" "$(rule_pkts rtr POSTROUTING 1 mangle)" 20
kill -TERM "$cpid"
wait "$cpid"
stats=$(grep 'packets' "$NFQ_TMP/client.out" | tail -n1)
log "$stats"
contains "client saw 20 packets, rewrote 20" "$stats" "packets 20 "
contains "client rewrote 20" "$stats" "rewritten 20"
contains "packets carried their input device" "$stats" "with-indev 20"
contains "packet metadata: hook FORWARD (2), IPv4" \
	"$(head -n 2 "$NFQ_TMP/client.out")" "hook 2 proto 0x0800"

log "packet metadata through the library: link address, timestamp, uid/gid"
ipt rtr -F FORWARD
ok "rule" ipt rtr -A FORWARD -p icmp --icmp-type echo-request -j NFQUEUE --queue-num 4
ip netns exec rtr "$NFQ_BIN/nfq-lnfq-client" -q 4 -v > "$NFQ_TMP/c3.out" 2>&1 &
cpid=$!
NFQ_PIDS+=("$cpid")
for i in $(seq 100); do grep -q ready "$NFQ_TMP/c3.out" && break; sleep 0.05; done
# ping asks for receive timestamps, so forwarded packets carry one
eq "3 pings through the client" "$(pings cli 10.0.2.2 3)" 3
kill -TERM "$cpid"
wait "$cpid"
climac=$(nsrun cli cat /sys/class/net/eth0/address)
lines=$(grep '^packet id' "$NFQ_TMP/c3.out")
log "$(head -n1 <<< "$lines")"
eq "3 packets seen" "$(grep -c . <<< "$lines")" 3
eq "each carries cli's link address ($climac)" "$(grep -c " hw $climac " <<< "$lines")" 3
now=$(date +%s)
eq "each carries a timestamp within a minute of now" \
	"$(awk -v now="$now" '{ for (i = 1; i < NF; i++) if ($i == "ts" && $(i + 1) > now - 60 && $(i + 1) <= now + 1) n++ } END { print n + 0 }' <<< "$lines")" 3
eq "forwarded packets carry no uid/gid" "$(grep -c ' uidgid -$' <<< "$lines")" 3

ok "rule in cli's OUTPUT" ipt cli -A OUTPUT -p udp --dport 7001 -j NFQUEUE --queue-num 6
ip netns exec cli "$NFQ_BIN/nfq-lnfq-client" -q 6 -u -v > "$NFQ_TMP/c4.out" 2>&1 &
cpid=$!
NFQ_PIDS+=("$cpid")
for i in $(seq 100); do grep -q ready "$NFQ_TMP/c4.out" && break; sleep 0.05; done
ok "3 datagrams sent by uid/gid 65534" nsrun cli setpriv --reuid=65534 --regid=65534 --clear-groups \
	bash -c 'exec 3>/dev/udp/10.0.2.2/7001; for i in 1 2 3; do printf x >&3; done'
for i in $(seq 50); do [ "$(grep -c '^packet id' "$NFQ_TMP/c4.out")" -ge 3 ] && break; sleep 0.1; done
kill -TERM "$cpid"
wait "$cpid"
lines=$(grep '^packet id' "$NFQ_TMP/c4.out")
log "$(head -n1 <<< "$lines")"
eq "3 local packets seen in OUTPUT (hook 3)" "$(grep -c ' hook 3 ' <<< "$lines")" 3
eq "each carries the sender's uid/gid" "$(grep -c ' uidgid 65534/65534$' <<< "$lines")" 3
eq "no timestamp on locally generated packets" "$(grep -c ' ts 0 ' <<< "$lines")" 3
ipt cli -F OUTPUT

log "fail-open set through libnetfilter_queue's nfq_set_queue_flags"
ipt rtr -F FORWARD
ok "rule" ipt rtr -A FORWARD -p icmp -j NFQUEUE --queue-num 4
ip netns exec rtr "$NFQ_BIN/nfq-lnfq-client" -q 4 -l 4 -f > "$NFQ_TMP/c2.out" 2>&1 &
cpid=$!
NFQ_PIDS+=("$cpid")
for i in $(seq 100); do grep -q ready "$NFQ_TMP/c2.out" && break; sleep 0.05; done
kill -STOP "$cpid"
eq "a stopped client with fail-open: pings pass a full queue" "$(pings cli 10.0.2.2 10)" 6
ge "fail-open accepts counted" "$(nfq_proc rtr 4 10)" 12
kill -CONT "$cpid"
sleep 0.5
eq "the held packets got their verdicts" "$(nfq_proc rtr 4 3)" 0
kill -TERM "$cpid"
wait "$cpid"
finish
