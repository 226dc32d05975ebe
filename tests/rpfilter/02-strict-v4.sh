#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Strict mode, IPv4: a host sending from its own network passes, a host
# spoofing another link's network or an unrouted source is dropped;
# loopback traffic always passes.
. ../lib/common.sh
. ./lib.sh
rpf_topology
spoof b 10.1.0.99
spoof b 192.0.2.7
for v in $IPTABLES_VARIANTS; do
	rpf_rules "$v" 4
	rpf_expect pass "$v: a from 10.1.0.2 on its link" a 10.1.0.2 10.1.0.1
	rpf_expect pass "$v: b from 10.2.0.2 to r's address on A" b 10.2.0.2 10.1.0.1
	rpf_expect fail "$v: b spoofing 10.1.0.99 (route back via ra)" b 10.1.0.99 10.2.0.1
	rpf_expect fail "$v: b from unrouted 192.0.2.7" b 192.0.2.7 10.2.0.1
	# r to itself: over loopback, where a local source always passes
	rpf_expect pass "$v: r from 10.1.0.1 to 10.2.0.1 over lo" r 10.1.0.1 10.2.0.1
done
rpf_assert_modules
finish
