#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The same with nft: `ct timeout` objects assigned by `ct timeout set` in a
# chain after conntrack (priority -150 > -200). Matched TCP and UDP flows
# get the object's timeouts, an unmatched flow the default; an object in
# use cannot be deleted; `nft add` of an existing object does not change
# it (6.1 has no update for ct timeout objects): a new object and a rule
# swap do; a chain before conntrack (priority -300) assigns nothing.
cd "$(dirname "$0")" && source ../lib/common.sh && source ./lib.sh
need nft socat conntrack
topo
ruleset() {
	nsx srv nft -f - <<'NFT'
table ip ctt {
	ct timeout web_o {
		protocol tcp;
		l3proto ip;
		policy = { established: 150, close: 10 }
	}
	ct timeout dns_o {
		protocol udp;
		l3proto ip;
		policy = { unreplied: 140 }
	}
	chain pre {
		type filter hook prerouting priority -150; policy accept;
		tcp dport 7777 ct timeout set "web_o"
		udp dport 5353 ct timeout set "dns_o"
	}
	chain early {
		type filter hook prerouting priority -300; policy accept;
		tcp dport 7779 ct timeout set "web_o"
	}
}
NFT
}
ok "ruleset with ct timeout objects" ruleset
contains "object listed" "$(nsx srv nft list ct timeout ip ctt web_o)" "established : 150"
start_clock
ok "matched flow" tcp_flow 7777
ok "unmatched flow" tcp_flow 7778
ok "flow assigned before conntrack" tcp_flow 7779
echo x | nsx cli socat -u - UDP4:10.9.0.2:5353
within "matched TCP flow: object's ESTABLISHED" "$(ct_timeout srv tcp 7777)" 150
within "unmatched TCP flow: default" "$(ct_timeout srv tcp 7778)" 432000
within "priority -300 (before conntrack): default" "$(ct_timeout srv tcp 7779)" 432000
within "matched UDP flow: object's UNREPLIED" "$(ct_timeout srv udp 5353)" 140

nok "object in use cannot be deleted" nsx srv nft delete ct timeout ip ctt web_o
contains "still listed" "$(nsx srv nft list table ip ctt)" "ct timeout web_o"

ok "nft add of the existing object returns 0" nsx srv nft add ct timeout ip ctt web_o \
	'{ protocol tcp; l3proto ip; policy = { established: 999 }; }'
contains "but the object is unchanged" "$(nsx srv nft list ct timeout ip ctt web_o)" "established : 150"

ok "new object" nsx srv nft add ct timeout ip ctt web_o2 \
	'{ protocol tcp; l3proto ip; policy = { established: 250 }; }'
h=$(nsx srv nft -a list chain ip ctt pre | sed -n '/"web_o"/s/.*# handle \([0-9]*\).*/\1/p')
ok "rule swapped to it" nsx srv nft replace rule ip ctt pre handle "$h" tcp dport 7777 ct timeout set '"web_o2"'
nsx srv conntrack -D -p tcp --dport 7777 >/dev/null 2>&1
start_clock
ok "new flow" tcp_flow 7777
within "new flow gets the new object's value" "$(ct_timeout srv tcp 7777)" 250
nsx srv nft flush chain ip ctt early
ok "the old object, unused now, deletes" nsx srv nft delete ct timeout ip ctt web_o
ok "table removed" nsx srv nft delete table ip ctt
finish
