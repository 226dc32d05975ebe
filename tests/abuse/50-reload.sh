#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Every nfext module unloaded and reloaded while a ping flood crosses the
# router: while a rule uses the module, rmmod is refused
# and the rule keeps counting; once the rule is gone, rmmod succeeds under
# traffic (nfnetlink_queue even with a listener bound and packets held),
# the module loads again and a new rule works. Repeated for each module.
cd "$(dirname "$0")" && source ../lib/common.sh && source ../nfqueue/lib.sh &&
	source ../lib/modules.sh && source ./lib.sh
assert_ours $NFEXT_MODS
need_bins
topo
flood cli 10.0.2.2
rounds=$(size 20 1)
IPTL=iptables-legacy

# reload MOD...: rmmod MOD... in this order under traffic, load them back
# (the reverse order), assert each is nfext's again.
reload() {
	local m r=() i
	ok "rmmod $* with no rule using them" unload_mods "$@"
	for m in "$@"; do r=("$m" "${r[@]}"); done
	for m in "${r[@]}"; do
		load_ko "$(ko "$m")" || fail "insmod $m"
	done
	for m in "$@"; do is_ours "$m" || fail "$m is nfext's again"; done
}

# held CMD...: the command must fail with "in use" (a rule holds the module).
held() {
	local what=$1 out
	shift
	if out=$("$@" 2>&1); then
		fail "$what: rmmod succeeded while a rule uses the module"
	else
		contains "$what: rmmod refused" "$out" "in use"
	fi
}

# counting NS CMD...: the rule's counter (printed by CMD) grows under the flood.
grows() {
	local what=$1 a b
	shift
	a=$("$@")
	sleep "$(tscale 1)"
	b=$("$@")
	if [ "${b:-0}" -gt "${a:-0}" ]; then echo "ok: $what ($a -> $b)"; else fail "$what: counter $a -> $b"; fi
}

raw_pkts() { rule_pkts rtr PREROUTING 1 raw; }
fwd_pkts() { rule_pkts rtr FORWARD 1; }

for i in $(seq "$rounds"); do
	log "round $i"
	ipt rtr -t raw -A PREROUTING -p icmp -m rpfilter --loose -j ACCEPT
	held "xt_rpfilter" rmmod xt_rpfilter
	grows "rpfilter rule counts under the flood" raw_pkts
	ipt rtr -t raw -F PREROUTING
	reload xt_rpfilter

	ipt rtr -t raw -A PREROUTING -p icmp -j CT --notrack
	held "xt_CT" rmmod xt_CT
	grows "CT rule counts under the flood" raw_pkts
	ipt rtr -t raw -F PREROUTING
	reload xt_CT

	ipt rtr -A FORWARD -p icmp -j NFQUEUE --queue-num 3 --queue-bypass --fail-open
	held "xt_NFQUEUE" rmmod xt_NFQUEUE
	held "nfnetlink_queue (a fail-open rule pins it)" rmmod nfnetlink_queue
	grows "NFQUEUE rule counts under the flood" fwd_pkts
	ipt rtr -F FORWARD
	reload xt_NFQUEUE

	# packets held by a listener when the handler goes away
	ipt rtr -A FORWARD -p udp -j NFQUEUE --queue-num 4
	listener rtr held -q 4 -H -l 64
	udp_send cli 10.0.2.2 9 20
	sleep "$(tscale 0.5)"
	ge "the listener holds packets" "$(nfq_proc rtr 4 3)" 1
	# unloaded with the packets held (they are dropped), or refused only
	# as in use while they are, as tests/nfqueue/60-sigkill.sh allows
	if out=$(rmmod nfnetlink_queue 2>&1); then
		echo "ok: nfnetlink_queue unloaded with packets held"
	else
		contains "nfnetlink_queue refused only as in use" "$out" "in use"
	fi
	kill -9 "$LPID"
	wait "$LPID" 2>/dev/null
	reload nfnetlink_queue
	ipt rtr -F FORWARD

	nsrun rtr nft add table inet t
	nsrun rtr nft add chain inet t c '{ type filter hook prerouting priority 0; }'
	nsrun rtr nft add rule inet t c icmp type echo-request fib saddr . iif oif exists counter
	held "nft_fib_inet" rmmod nft_fib_inet
	held "nft_fib (the family modules use it)" rmmod nft_fib
	grows "fib rule counts under the flood" bash -c \
		"ip netns exec rtr nft list chain inet t c | sed -n 's/.*packets \([0-9]*\).*/\1/p'"
	nsrun rtr nft delete table inet t
	reload nft_fib_inet nft_fib_netdev nft_fib_ipv4 nft_fib_ipv6 nft_fib
done
result "rounds $rounds, 6 modules reloaded per round under a ping flood"

# everything still works together
ipt rtr -t raw -A PREROUTING -p icmp -m rpfilter -j CT --notrack
ipt rtr -A FORWARD -p icmp -j NFQUEUE --queue-num 5
listener rtr after -q 5
kill "${NFQ_PIDS[0]}" 2>/dev/null
sleep "$(tscale 0.5)"
eq "pings cross rtr through the reloaded modules" "$(pings cli 10.0.2.2 5)" 5
stop after "$LPID"
finish
