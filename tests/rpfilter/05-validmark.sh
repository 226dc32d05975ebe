#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# --validmark with fwmark policy routing: r marks every packet it receives
# with 1, and mark 1 routes 10.8.0.0/24 (fd08::/64) via b while the main
# table routes it via a. Only with --validmark does the mark decide.
. ../lib/common.sh
. ./lib.sh
rpf_topology
ip -n r route add 10.8.0.0/24 via 10.1.0.2
ip -n r route add 10.8.0.0/24 via 10.2.0.2 table 100
ip -n r rule add fwmark 1 lookup 100
ip -n r -6 route add fd08::/64 via fd01::2
ip -n r -6 route add fd08::/64 via fd02::2 table 100
ip -n r -6 rule add fwmark 1 lookup 100
for h in a b; do
	spoof $h 10.8.0.5
	spoof $h fd08::5
done
mark() { at r "$(rpf_ipt "$1" "$2")" -t raw -I PREROUTING -j MARK --set-mark 1; }
RPF_OFS=1
for v in $IPTABLES_VARIANTS; do
	for f in 4 6; do
		if [ $f = 4 ]; then s=10.8.0.5 db=10.2.0.1 da=10.1.0.1; else s=fd08::5 db=fd02::1 da=fd01::1; fi
		rpf_rules "$v" $f
		mark "$v" $f
		rpf_expect fail "$v without --validmark: b from $s (main table: via a)" b $s $db
		rpf_expect pass "$v without --validmark: a from $s (main table: via a)" a $s $da
		rpf_rules "$v" $f --validmark
		mark "$v" $f
		rpf_expect pass "$v --validmark: b from $s (mark 1 table: via b)" b $s $db
		rpf_expect fail "$v --validmark: a from $s (mark 1 table: via b)" a $s $da
	done
done
rpf_assert_modules
finish
