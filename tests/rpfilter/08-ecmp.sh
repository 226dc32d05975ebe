#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Strict mode with a multipath route back (two nexthops, via a and via b):
# packets from that network arriving on either link pass, on c they fail.
# Both a classic multipath route and a nexthop group, IPv4 and IPv6.
. ../lib/common.sh
. ./lib.sh
rpf_topology
ip -n r route add 10.9.0.0/24 nexthop via 10.1.0.2 dev ra nexthop via 10.2.0.2 dev rb
ip -n r -6 route add fd09::/64 nexthop via fd01::2 dev ra nexthop via fd02::2 dev rb
ip -n r nexthop add id 1 via 10.1.0.2 dev ra
ip -n r nexthop add id 2 via 10.2.0.2 dev rb
ip -n r nexthop add id 3 group 1/2
ip -n r route add 10.10.0.0/24 nhid 3
ip -n r nexthop add id 11 via fd01::2 dev ra
ip -n r nexthop add id 12 via fd02::2 dev rb
ip -n r nexthop add id 13 group 11/12
ip -n r -6 route add fd10::/64 nhid 13
for h in a b c; do
	for s in 10.9.0.5 10.10.0.5 fd09::5 fd10::5; do spoof $h $s; done
done
i=1
for h in a b c; do dst[$i]=10.$i.0.1 dst6[$i]=fd0$i::1; i=$((i + 1)); done
for v in $IPTABLES_VARIANTS; do
	for f in 4 6; do
		rpf_rules "$v" $f
		if [ $f = 4 ]; then set -- 10.9.0.5 10.10.0.5; d=("" "${dst[@]}"); else set -- fd09::5 fd10::5; d=("" "${dst6[@]}"); fi
		for s in "$@"; do
			rpf_expect pass "$v strict ECMP: a from $s" a $s "${d[1]}"
			rpf_expect pass "$v strict ECMP: b from $s" b $s "${d[2]}"
			rpf_expect fail "$v strict ECMP: c from $s" c $s "${d[3]}"
		done
	done
done
rpf_assert_modules
finish
