#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# UDP, ICMP and ICMPv6 policies: a UDP datagram the rule matches gets the
# policy's UNREPLIED timeout, one it does not match the default; a ping
# gets the ICMP policy's timeout; a ping6 the ICMPv6 policy's.
cd "$(dirname "$0")" && source ../lib/common.sh && source ./lib.sh
need socat conntrack ping
assert_ours xt_CT
topo
# The ICMP policies' timeouts are short (distinct from the defaults, and
# checked before they run out): a slow kernel gets them scaled.
icmp_t=$(tscale 17)
icmp6_t=$(tscale 19)
ok "udp policy" ctt srv add dns_p inet udp unreplied 133 replied 44
ok "icmp policy" ctt srv add ping_p inet icmp timeout "$icmp_t"
ok "icmpv6 policy" ctt srv add ping6_p inet6 icmpv6 timeout "$icmp6_t"
eq "udp replied stored" "$(state_of srv dns_p replied)" 44
udp_default=$(ctt srv default-get inet udp | awk '$1 == "unreplied" { print $2 }')
icmp_default=$(ctt srv default-get inet icmp | awk '$1 == "timeout" { print $2 }')

for v in $IPTABLES_VARIANTS; do
	log "iptables-$v"
	nsx srv conntrack -F 2>/dev/null
	nsx srv conntrack -F -f ipv6 2>/dev/null
	ok "$v: udp and icmp rules" raw_table "$v" srv iptables \
		"-A PREROUTING -p udp --dport 5353 -j CT --timeout dns_p" \
		"-A PREROUTING -p icmp -j CT --timeout ping_p"
	ok "$v: icmpv6 rule" ip6t "$v" srv -t raw -A PREROUTING -p ipv6-icmp --icmpv6-type echo-request -j CT --timeout ping6_p
	start_clock
	echo x | nsx cli socat -u - UDP4:10.9.0.2:5353
	echo x | nsx cli socat -u - UDP4:10.9.0.2:5354
	ok "$v: ping answered" nsx cli ping -q -c1 -W2 10.9.0.2
	ok "$v: ping6 answered" nsx cli ping -q -6 -c1 -W2 fd09::2
	within "$v: matched UDP flow has the policy's UNREPLIED timeout" \
		"$(ct_timeout srv udp 5353)" 133
	within "$v: unmatched UDP flow has the default ($udp_default)" \
		"$(ct_timeout srv udp 5354)" "$udp_default"
	within "$v: ICMP flow has the policy's timeout" \
		"$(ct_timeout srv icmp -)" "$icmp_t"
	within "$v: ICMPv6 flow has the policy's timeout" \
		"$(ct_timeout srv icmpv6 - "-f ipv6")" "$icmp6_t"
	ipt "$v" srv -t raw -F
	ip6t "$v" srv -t raw -F
done
nsx srv conntrack -F 2>/dev/null
ok "conntrack stays on (state rule)" ipt nft srv -A INPUT -m conntrack --ctstate NEW -j ACCEPT
start_clock
ok "ping without rule" nsx cli ping -q -c1 -W2 10.9.0.2
within "ICMP flow without rule has the default ($icmp_default)" \
	"$(ct_timeout srv icmp -)" "$icmp_default"
finish
