#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# iptables-translate of -j NFQUEUE --fail-open prints the nft rule (in the
# form nft lists it); that rule, given to the patched nft, lists unchanged.
cd "$(dirname "$0")" && source ../lib/common.sh && source ./lib.sh
assert_ours nft_queue
netns r
nft_in r add table ip filter
nft_in r add chain ip filter FORWARD '{ type filter hook forward priority 0; }'

# translated ARGS...: the nft rule iptables-translate prints for ARGS.
translated() { iptables-translate -A FORWARD "$@" 2>&1; }

check() {
	local want=$1 out rule
	shift
	out=$(translated "$@")
	eq "iptables-translate $*" "$out" "nft 'add rule ip filter FORWARD $want'"
	rule=${out#nft \'add rule ip filter FORWARD }
	rule=${rule%\'}
	ok "nft takes it" nft_in r add rule ip filter FORWARD "$rule"
	contains "nft lists it back" "$(nft_in r list chain ip filter FORWARD)" \
		"$(echo "$want" | sed 's/counter /counter packets 0 bytes 0 /')"
}

check "ip protocol udp counter queue flags fail-open to 3" -p udp -j NFQUEUE --queue-num 3 --fail-open
check "counter queue flags bypass,fail-open to 0-3" -j NFQUEUE --queue-balance 0:3 --queue-bypass --fail-open
check "counter queue flags bypass,fanout,fail-open to 4-7" -j NFQUEUE --queue-balance 4:7 --queue-cpu-fanout --queue-bypass --fail-open
eq "without --fail-open as before" "$(translated -j NFQUEUE --queue-num 3 --queue-bypass)" \
	"nft 'add rule ip filter FORWARD counter queue num 3 bypass'"
finish
