#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# default-set changes a protocol's defaults (the same values as the
# nf_conntrack_*_timeout_* sysctls) and default-get reads them back; a flow
# without any policy then gets the new default.
cd "$(dirname "$0")" && source ../lib/common.sh && source ./lib.sh
need socat conntrack
topo
sys=/proc/sys/net/netfilter
eq "default-get tcp established" \
	"$(ctt srv default-get inet tcp | awk '$1 == "established" { print $2 }')" \
	"$(nsx srv cat $sys/nf_conntrack_tcp_timeout_established)"
ok "default-set tcp established 5000 close 7" ctt srv default-set inet tcp established 5000 close 7
eq "default-get reads established back" \
	"$(ctt srv default-get inet tcp | awk '$1 == "established" { print $2 }')" 5000
eq "default-get reads close back" \
	"$(ctt srv default-get inet tcp | awk '$1 == "close" { print $2 }')" 7
eq "sysctl agrees" "$(nsx srv cat $sys/nf_conntrack_tcp_timeout_established)" 5000
eq "other states untouched (syn_sent)" \
	"$(ctt srv default-get inet tcp | awk '$1 == "syn_sent" { print $2 }')" \
	"$(nsx srv cat $sys/nf_conntrack_tcp_timeout_syn_sent)"
contains "json default-get" "$(ctt srv --json default-get inet tcp)" '"established":5000'

# conntrack must be on nsx srv for the flow to be tracked at all
ok "a rule turns conntrack on" ipt nft srv -t raw -A PREROUTING -p tcp --dport 1 -j CT --zone 0
start_clock
ok "flow without a policy" tcp_flow 7100
within "new flow gets the new default" "$(ct_timeout srv tcp 7100)" 5000

ok "default-set udp" ctt srv default-set inet udp unreplied 21 replied 99
eq "udp unreplied" "$(ctt srv default-get inet udp | awk '$1 == "unreplied" { print $2 }')" 21
eq "udp replied" "$(nsx srv cat $sys/nf_conntrack_udp_timeout_stream)" 99
ok "default-set icmpv6" ctt srv default-set inet6 icmpv6 timeout 12
eq "icmpv6 sysctl" "$(nsx srv cat $sys/nf_conntrack_icmpv6_timeout)" 12
ok "default-set generic" ctt srv default-set inet generic timeout 77
eq "generic sysctl" "$(nsx srv cat $sys/nf_conntrack_generic_timeout)" 77
ok "default-set sctp" ctt srv default-set inet sctp established 88
eq "sctp sysctl" "$(nsx srv cat $sys/nf_conntrack_sctp_timeout_established)" 88
ok "default-set gre" ctt srv default-set inet gre replied 66
eq "gre read back" "$(ctt srv default-get inet gre | awk '$1 == "replied" { print $2 }')" 66
ok "default-set dccp" ctt srv default-set inet dccp open 55
eq "dccp sysctl" "$(nsx srv cat $sys/nf_conntrack_dccp_timeout_open)" 55
eq "default-set leaves the initial namespace alone" \
	"$(cat $sys/nf_conntrack_tcp_timeout_established)" 432000
finish
