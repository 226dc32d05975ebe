#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Strict mode, IPv6: a host sending from its own network passes, a host
# spoofing another link's network or an unrouted source is dropped;
# loopback traffic always passes.
. ../lib/common.sh
. ./lib.sh
rpf_topology
spoof b fd01::99
spoof b 2001:db8::7
for v in $IPTABLES_VARIANTS; do
	rpf_rules "$v" 6
	rpf_expect pass "$v: a from fd01::2 on its link" a fd01::2 fd01::1
	rpf_expect pass "$v: b from fd02::2 to r's address on A" b fd02::2 fd01::1
	rpf_expect fail "$v: b spoofing fd01::99 (route back via ra)" b fd01::99 fd02::1
	rpf_expect fail "$v: b from unrouted 2001:db8::7" b 2001:db8::7 fd02::1
	# r to itself: over loopback, where a local source always passes
	rpf_expect pass "$v: r from fd01::1 to fd02::1 over lo" r fd01::1 fd02::1
done
rpf_assert_modules
finish
