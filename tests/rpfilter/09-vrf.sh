#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# VRF: links b and c of r are in VRF "blue" (table 10). The route back is
# looked up in the VRF's table: 10.7.0.0/24 is via a in the main table
# but via b in table 10, so from b it passes strict; 10.1.0.0/24 only
# exists in the main table, so even --loose fails from b.
. ../lib/common.sh
. ./lib.sh
modprobe vrf 2>/dev/null || skip "no vrf module"
rpf_topology
ip -n r link add blue type vrf table 10
ip -n r link set blue up
ip -n r link set rb master blue
ip -n r link set rc master blue
ip -n r addr add fd02::1/64 dev rb nodad 2>/dev/null
ip -n r addr add fd03::1/64 dev rc nodad 2>/dev/null
# as VRF setups do: lookups that miss in table 10 end there
ip -n r route add unreachable default metric 4278198272 table 10
ip -n r -6 route add unreachable default metric 4278198272 table 10
ip -n r route add 10.7.0.0/24 via 10.1.0.2
ip -n r route add 10.7.0.0/24 via 10.2.0.2 table 10
ip -n r -6 route add fd07::/64 via fd01::2
ip -n r -6 route add fd07::/64 via fd02::2 table 10
for s in 10.7.0.5 10.1.0.99 10.3.0.99 fd07::5 fd01::99 fd03::99; do spoof b $s; done
for v in $IPTABLES_VARIANTS; do
	for f in 4 6; do
		if [ $f = 4 ]; then p=10; me=10.2.0.2 r=10.2.0.1; else p=fd0; me=fd02::2 r=fd02::1; fi
		[ $f = 4 ] && s7=10.7.0.5 s1=10.1.0.99 s3=10.3.0.99
		[ $f = 6 ] && s7=fd07::5 s1=fd01::99 s3=fd03::99
		# VRF input runs PREROUTING twice: on rb, then on the VRF device.
		for dev in rb blue; do
			RPF_IN=$dev rpf_rules "$v" $f
			rpf_expect pass "$v strict, -i $dev: b from its own $me" b $me $r
			rpf_expect pass "$v strict, -i $dev: b from $s7 (table 10: via b)" b $s7 $r
		done
		RPF_IN=rb rpf_rules "$v" $f
		rpf_expect fail "$v strict: b from $s3 (table 10: via c)" b $s3 $r
		RPF_IN=rb rpf_rules "$v" $f --loose
		rpf_expect fail "$v loose: b from $s1 (only in the main table)" b $s1 $r
		rpf_expect pass "$v loose: b from $s3 (table 10: via c)" b $s3 $r
	done
done
rpf_assert_modules
finish
