#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The new keywords through nft -f, nft list ruleset and nft -j both ways:
# queue.nft (every spelling of fail-open) lists as queue.list; so does its
# JSON fed back with nft -j -f. The same for fib.nft (feasible, no-default;
# nfext's nft_fib). Debian's stock nft lists such a ruleset
# without failing (and without the flags it does not know: README.md).
# The flags cross Debian's libnftnl both ways unchanged.
cd "$(dirname "$0")" && source ../lib/common.sh && source ./lib.sh
assert_ours nft_queue nft_fib
netns r

# roundtrip NAME: NAME.nft in, NAME.list out, then the JSON round trip.
roundtrip() {
	local want got
	want=$(grep -v '^#' "$1.list")
	got=$(nft_in r list ruleset)
	eq "$1: nft list ruleset gives $1.list" "$got" "$want"
	nft_in r -j list ruleset > "$NFQ_TMP/$1.json" ||
		fail "$1: nft -j list ruleset"
	contains "$1: JSON names the flags" "$(cat "$NFQ_TMP/$1.json")" "$2"
	ok "$1: flush" nft_in r flush ruleset
	ok "$1: nft -j -f of the JSON listing" nft_in r -j -f "$NFQ_TMP/$1.json"
	eq "$1: lists the same after the JSON round trip" "$(nft_in r list ruleset)" "$want"
	nft_in r -j list ruleset > "$NFQ_TMP/$1.2.json"
	eq "$1: JSON listing the same after the round trip" \
		"$(nft_in r -j list ruleset | sed 's/"handle": [0-9]*//g')" \
		"$(sed 's/"handle": [0-9]*//g' "$NFQ_TMP/$1.json")"
}

# libnftnl needs no change: the patched nft builds and parses the rules
# through Debian's shared libnftnl (only libnftables is linked in).
libs=$(ldd "$NFT")
contains "nft uses the system's libnftnl" "$libs" "libnftnl.so.11 => /lib/x86_64-linux-gnu/libnftnl.so.11"
nok "nft does not use the system's libnftables" grep -q libnftables <<< "$libs"

ok "queue: nft -f queue.nft" nft_in r -f queue.nft
roundtrip queue '"flags": ["bypass", "fanout", "fail-open"]'
out=$(nsrun r "$STOCK_NFT" list ruleset 2>&1)
eq "stock nft lists the queue rules (exit 0)" "$?" 0
contains "stock nft prints bypass,fail-open as bypass" "$out" "udp dport 7002 queue flags bypass to 0-3"
contains "stock nft prints fail-open alone as a plain queue" "$out" "udp dport 7000 queue to 3"
nsrun r "$STOCK_NFT" -j list ruleset > /dev/null
eq "stock nft -j lists the queue rules (exit 0)" "$?" 0
ok "flush" nft_in r flush ruleset

ok "fib: nft -f fib.nft" nft_in r -f fib.nft
roundtrip fib '"flags": ["saddr", "iif", "feasible", "no-default"]'
out=$(nsrun r "$STOCK_NFT" list ruleset 2>&1)
eq "stock nft lists the fib rules (exit 0)" "$?" 0
contains "stock nft prints feasible as a number" "$out" "fib saddr . iif . 0x40 oif missing drop"
nsrun r "$STOCK_NFT" -j list ruleset > /dev/null
eq "stock nft -j lists the fib rules (exit 0)" "$?" 0

contains "nft describe takes the fib keys" \
	"$(nft_in r describe fib saddr . iif . feasible . no-default oif)" "fib expression"
finish
