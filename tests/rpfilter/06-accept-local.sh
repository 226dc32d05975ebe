#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# --accept-local: a packet claiming one of r's own addresses as its source
# fails the check unless --accept-local is given.
. ../lib/common.sh
. ./lib.sh
rpf_topology
at r sysctl -qw net.ipv4.conf.all.accept_local=1 net.ipv4.conf.rb.accept_local=1
spoof b 10.1.0.1
spoof b fd01::1
for v in $IPTABLES_VARIANTS; do
	rpf_rules "$v" 4
	rpf_expect fail "$v: b from r's own 10.1.0.1" b 10.1.0.1 10.2.0.1
	rpf_rules "$v" 4 --accept-local
	rpf_expect pass "$v --accept-local: b from r's own 10.1.0.1" b 10.1.0.1 10.2.0.1
	rpf_expect pass "$v --accept-local: b from its own address" b 10.2.0.2 10.2.0.1
	rpf_rules "$v" 6
	rpf_expect fail "$v: b from r's own fd01::1" b fd01::1 fd02::1
	rpf_rules "$v" 6 --accept-local
	rpf_expect pass "$v --accept-local: b from r's own fd01::1" b fd01::1 fd02::1
done
rpf_assert_modules
finish
