#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Every fib result (oif, oifname, type) x flag (saddr/daddr, mark, iif)
# combination: IPv4 (ip) and IPv6 (ip6) in prerouting, both through the
# inet family in input and forward. For each test packet (legitimate,
# spoofed, to another local address, blackholed, unrouted, broadcast...)
# what the rule stores must be what `ip route get` says.
source ../lib/common.sh
source ./lib.sh
fib_assert_ours
fib_topo
for run in "ip prerouting" "ip6 prerouting" "inet input+forward"; do
	# shellcheck disable=SC2086
	ok "fib results in $run agree with ip route get" ./fibmatrix.py $run
done
finish
