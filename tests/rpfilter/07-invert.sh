#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# --invert matches the packets that fail: with "-m rpfilter --invert -j
# ACCEPT" then DROP, spoofed packets get through and legitimate ones not.
# Then the usual admin idiom "-m rpfilter --invert -j DROP".
. ../lib/common.sh
. ./lib.sh
rpf_topology
spoof b 10.1.0.99
spoof b fd01::99
for v in $IPTABLES_VARIANTS; do
	rpf_rules "$v" 4 --invert
	rpf_expect fail "$v --invert: a from its own address" a 10.1.0.2 10.1.0.1
	rpf_expect pass "$v --invert: b spoofing 10.1.0.99" b 10.1.0.99 10.2.0.1
	rpf_rules "$v" 6 --invert
	rpf_expect fail "$v --invert: a from its own address" a fd01::2 fd01::1
	rpf_expect pass "$v --invert: b spoofing fd01::99" b fd01::99 fd02::1
	for f in 4 6; do
		rpf_flush
		ipt=$(rpf_ipt "$v" $f)
		at r "$ipt" -t raw -A PREROUTING -m rpfilter --invert -j DROP
		if [ $f = 4 ]; then
			ok "$v: a pings r through 'rpfilter --invert -j DROP'" at a ping -c 2 -i 0.2 -W 2 -q 10.1.0.1
			at b ping -c 2 -i 0.2 -W 1 -q -I 10.1.0.99 10.2.0.1 >/dev/null
		else
			ok "$v: a pings r through 'rpfilter --invert -j DROP'" at a ping -6 -c 2 -i 0.2 -W 2 -q fd01::1
			at b ping -6 -c 2 -i 0.2 -W 1 -q -I fd01::99 fd02::1 >/dev/null
		fi
		n=$(at r "$ipt" -t raw -L PREROUTING 1 -v -x -n 2>/dev/null | awk '{ print $1 }')
		eq "$v: IPv$f spoofed packets dropped by 'rpfilter --invert -j DROP'" "$n" 2
	done
done
rpf_assert_modules
finish
