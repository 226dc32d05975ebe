#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Bad combinations of the new keywords are refused by nft itself with its
# usual error (the message on the first line, then the rule with carets),
# exit status 1, nothing applied; in nft syntax and in JSON.
cd "$(dirname "$0")" && source ../lib/common.sh && source ./lib.sh
assert_ours nft_queue
netns r
nft_in r add table inet t
nft_in r add chain inet t pre '{ type filter hook prerouting priority 0; }'
nft_in r add chain inet t fw '{ type filter hook forward priority 0; }'
before=$(nft_in r list ruleset)

# refused CHAIN RULE MESSAGE: nft add rule refuses RULE with MESSAGE.
refused() {
	local out rc
	out=$(nft_in r add rule inet t "$1" "$2" 2>&1)
	rc=$?
	eq "'$2': exit status 1" "$rc" 1
	eq "'$2': $3" "$(echo "$out" | head -n1)" "Error: $3"
}

# refused_json JSON MESSAGE: nft -j -f refuses a JSON rule with MESSAGE.
refused_json() {
	local out rc
	echo "$1" > "$NFQ_TMP/rule.json"
	out=$(nft_in r -j -f "$NFQ_TMP/rule.json" 2>&1)
	rc=$?
	eq "JSON $1: exit status 1" "$rc" 1
	contains "JSON: $2" "$out" "$2"
}

refused fw 'queue flags fanout,fail-open to 3' 'fanout requires a range to be specified'
refused fw 'queue flags fail-open,fail-closed to 3' 'syntax error, unexpected string, expecting bypass or fanout or fail-open'
refused fw 'queue flags fail-open' 'syntax error, unexpected newline, expecting comma or to or num'
refused pre 'fib saddr . feasible oif missing drop' 'fib: feasible needs iif (loose lookups have no feasible mode)'
refused pre 'fib feasible . no-default . mark oif missing drop' 'fib: need either saddr or daddr'
refused pre 'fib saddr . iif . oif . feasible oif missing drop' 'fib: iif and oif are mutually exclusive'
refused pre 'fib daddr . iif . no-default type local' 'fib: feasible and no-default go with the oif and oifname results, not type'

rule='{"nftables": [{"rule": {"family": "inet", "table": "t", "chain": "fw", "expr": ['
refused_json "$rule"'{"queue": {"num": 3, "flags": ["fail-open", "fail-closed"]}}]}}]}' \
	"Invalid queue flag 'fail-closed'."
refused_json "$rule"'{"match": {"op": "==", "left": {"fib": {"result": "oif", "flags": ["saddr", "feasible"]}}, "right": false}}, {"drop": null}]}}]}' \
	"fib: feasible needs iif"
refused_json "$rule"'{"match": {"op": "==", "left": {"fib": {"result": "oif", "flags": ["saddr", "infeasible"]}}, "right": false}}, {"drop": null}]}}]}' \
	"Invalid fib flag 'infeasible'."
eq "nothing applied" "$(nft_in r list ruleset)" "$before"
finish
