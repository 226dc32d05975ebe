#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Every fib result (oif, oifname, type) x flag (saddr/daddr, mark, iif)
# combination, for IPv4, IPv6 and the inet family, in prerouting and in
# input/forward (inet, so both families): what the rule stores must be what `ip route get` says.
source ../lib/common.sh
source ./lib.sh
fib_assert_ours
fib_topo
for run in "ip prerouting" "ip6 prerouting" "inet prerouting" "inet input+forward"; do
	# shellcheck disable=SC2086
	ok "fib results in $run agree with ip route get" ./fibmatrix.py $run
done
finish
