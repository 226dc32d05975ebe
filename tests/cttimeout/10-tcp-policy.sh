#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A TCP policy made with ct-timeout and attached with -j CT --timeout: the
# flow the rule matches gets the policy's ESTABLISHED timeout, a flow it
# does not match keeps the default (432000 s), with iptables-legacy and
# iptables-nft, IPv4 and IPv6.
cd "$(dirname "$0")" && source ../lib/common.sh && source ./lib.sh
need socat conntrack
assert_ours xt_CT
topo
ok "policy web_t added" ctt srv add web_t inet tcp established 100
ok "policy web6 added" ctt srv add web6 inet6 tcp ESTABLISHED 200
eq "get shows established" "$(state_of srv web_t established)" 100
default=$(ctt srv default-get inet tcp | awk '$1 == "established" { print $2 }')
eq "default established" "$default" 432000

port=7000
for v in $IPTABLES_VARIANTS; do
	log "iptables-$v"
	ok "$v: rule added" ipt "$v" srv -t raw -A PREROUTING -p tcp --dport $((port + 1)) -j CT --timeout web_t
	ok "$v: ip6 rule added" ip6t "$v" srv -t raw -A PREROUTING -p tcp --dport $((port + 1)) -j CT --timeout web6
	start_clock
	ok "$v: matched flow up" tcp_flow $((port + 1))
	ok "$v: unmatched flow up" tcp_flow $((port + 2))
	ok "$v: matched v6 flow up" tcp_flow $((port + 1)) fd09::2
	within "$v: matched flow has the policy's ESTABLISHED timeout" \
		"$(ct_timeout srv tcp $((port + 1)))" 100
	within "$v: unmatched flow has the default" \
		"$(ct_timeout srv tcp $((port + 2)))" 432000
	within "$v: matched IPv6 flow has web6's timeout" \
		"$(ct_timeout srv tcp $((port + 1)) "-f ipv6")" 200
	ge "$v: policy in use (2 per rule + flows)" "$(use_of srv web_t)" 3
	ipt "$v" srv -t raw -F
	ip6t "$v" srv -t raw -F
	port=$((port + 10))
done
finish
