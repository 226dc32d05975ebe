#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Flag and mask combinations, from the listener (NFQA_CFG_MASK/FLAGS) and
# from the rule (--fail-open with --queue-bypass, --queue-balance and
# --queue-cpu-fanout), and the config errors a listener can meet.
cd "$(dirname "$0")" && source ../lib/common.sh && source ./lib.sh
need_bins
assert_ours nfnetlink_queue xt_NFQUEUE
topo
L=$NFQ_BIN/nfq-listener

# cfg EXPECT-TEXT ARGS...: a one-shot configuration refused with EXPECT-TEXT.
cfg_refused() {
	local want=$1 out
	shift
	out=$(nsrun rtr "$L" -1 "$@" 2>&1)
	if [ $? -eq 0 ]; then
		fail "config $* accepted, want '$want' (output: $out)"
	else
		contains "config $* refused: $want" "$out" "$want"
	fi
}

log "configuration errors"
cfg_refused "Invalid argument" -q 10 -V 1
cfg_refused "Operation not supported" -q 10 -M 0x3f -V 0x20
cfg_refused "No such device" -q 10 -N
ok "flags FAIL_OPEN under mask FAIL_OPEN" nsrun rtr "$L" -1 -q 10 -M 1 -V 1
ok "mask alone (flags 0)" nsrun rtr "$L" -1 -q 10 -M 0x1f
ok "mask with unknown bits, known flags" nsrun rtr "$L" -1 -q 10 -M 0xffffffff -V 1
cfg_refused "Device or resource busy" -q 11 -2
listener rtr owner -q 11 -H
cfg_refused "Operation not permitted" -q 11
cfg_refused "Operation not permitted" -q 11 -N -M 1 -V 1
stop owner "$LPID"
eq "refused configs left no queue behind" \
	"$(nsrun rtr cat /proc/net/netfilter/nfnetlink_queue | wc -l)" 0

log "queue flag through mask and flags (full queue, 2 held)"
ok "rule" ipt rtr -A FORWARD -p icmp -j NFQUEUE --queue-num 0
# try MASK FLAGS WANT: ping through a full queue the listener set so.
try() {
	listener rtr m -q 0 -l 2 -H -M "$1" -V "$2"
	eq "mask $1 flags $2: echo replies of 10" "$(pings cli 10.0.2.2 10)" "$3"
	stop m "$LPID" >/dev/null
}
try 0x5 0x1 8
try 0x0 0x1 0
try 0x4 0x5 0
ipt rtr -F FORWARD

log "--fail-open without a listener is not a bypass: dropped"
ok "rule" ipt rtr -A FORWARD -p icmp -j NFQUEUE --queue-num 5 --fail-open
eq "no listener, no --queue-bypass: dropped" "$(pings cli 10.0.2.2 5)" 0
ipt rtr -F FORWARD

log "--fail-open --queue-bypass without a listener: accepted"
ok "rule" ipt rtr -A FORWARD -p icmp -j NFQUEUE --queue-num 5 --queue-bypass --fail-open
eq "bypass keeps its meaning" "$(pings cli 10.0.2.2 5)" 5
listener rtr bp -q 5 -l 2 -H
eq "and a full queue is failed open" "$(pings cli 10.0.2.2 10)" 8
eq "fail-open accepts" "$(nfq_proc rtr 5 10)" 16
stop bp "$LPID"
ipt rtr -F FORWARD

# sum_field FIELD: the sum of FIELD over queues 20-23.
sum_field() {
	nsrun rtr cat /proc/net/netfilter/nfnetlink_queue |
		awk -v f="$1" '$1 >= 20 && $1 <= 23 { s += $f } END { print s + 0 }'
}
# balance FAILOPEN RULE-OPTIONS...: 10 pings through queues 20-23, each
# holding 2 packets. Every queued packet must be held, dropped (rule
# without --fail-open) or accepted by fail-open (rule with it), never both.
balance() {
	local fo=$1 q pids=() n held dropped acc replies
	shift
	ok "rule $*" ipt rtr -A FORWARD -p icmp -j NFQUEUE "$@"
	for q in 20 21 22 23; do
		listener rtr "b$q" -q $q -l 2 -H
		pids+=("$LPID")
	done
	replies=$(pings cli 10.0.2.2 10)
	n=$(rule_pkts rtr FORWARD 1)
	held=$(sum_field 3)
	dropped=$(sum_field 6)
	acc=$(sum_field 10)
	log "$*: replies $replies, queued $n: held $held, dropped $dropped, failed open $acc"
	eq "$*: every queued packet accounted for" $((held + dropped + acc)) "$n"
	if [ "$fo" = 1 ]; then
		eq "$*: nothing dropped" "$dropped" 0
		ge "$*: pings pass" "$replies" 1
	else
		eq "$*: no fail-open accept" "$acc" 0
		eq "$*: no ping passes" "$replies" 0
	fi
	for q in 0 1 2 3; do stop "b$((20 + q))" "${pids[$q]}" >/dev/null; done
	ipt rtr -F FORWARD
}
log "--queue-balance with and without --fail-open (4 queues, 2 held each)"
balance 0 --queue-balance 20:23 --queue-cpu-fanout
balance 1 --queue-balance 20:23 --queue-cpu-fanout --queue-bypass --fail-open
finish
