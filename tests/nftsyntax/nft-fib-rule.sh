#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# nft-fib-rule.sh FAMILY TABLE CHAIN KEYS exists|missing VERDICT: what
# tests/tools/nft-fib-rule does through libnftnl (the rpfilter scenarios'
# nft front end), written as an nft rule for the patched nft ($NFT): KEYS
# joined with '.', VERDICT accept, drop, jump:CHAIN or goto:CHAIN.
[ $# -eq 6 ] || { echo "usage: $0 FAMILY TABLE CHAIN KEYS exists|missing VERDICT" >&2; exit 2; }
keys=${4//./ . }
# shellcheck disable=SC2086 # keys and verdict are several words
exec "$NFT" add rule "$1" "$2" "$3" fib $keys oif "$5" ${6/:/ }
