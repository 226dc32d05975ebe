#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# After `make install` (01), `iptables -m rpfilter` through iptables-legacy
# and iptables-nft, IPv4 and IPv6, autoloads nfext's xt_rpfilter, never
# the in-tree ipt_rpfilter/ip6t_rpfilter.
. ../lib/common.sh
. ./lib.sh
netns r
[ -f /etc/modprobe.d/nfext-xt_rpfilter.conf ] || die "run after 01-make-install"
for v in legacy nft; do
	for f in "" 6; do
		ipt=ip${f}tables-$v
		gone
		ok "$ipt -t raw -A PREROUTING -m rpfilter (autoload)" at r $ipt -t raw -A PREROUTING -m rpfilter --invert -j DROP
		assert_ours xt_rpfilter
		assert_absent ipt_rpfilter ip6t_rpfilter
		contains "$ipt: rule in place" "$(at r $ipt -t raw -S PREROUTING 2>/dev/null)" "-m rpfilter --invert -j DROP"
	done
done
gone
finish
