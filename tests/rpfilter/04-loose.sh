#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# --loose: a source routed back through another link passes, an unrouted
# source or one behind a blackhole/unreachable/prohibit route or an
# anycast address still fails.
. ../lib/common.sh
. ./lib.sh
rpf_topology
ip -n r route add 10.8.0.0/24 via 10.1.0.2
ip -n r route add blackhole 10.66.0.0/24
ip -n r route add unreachable 10.67.0.0/24
ip -n r -6 route add fd08::/64 via fd01::2
ip -n r -6 route add blackhole fd66::/64
ip -n r -6 route add prohibit fd67::/64
for a in 10.8.0.5 10.66.0.5 10.67.0.5 192.0.2.7 fd08::5 fd66::5 fd67::5 2001:db8::7 fd01::; do
	spoof b "$a"
done
for v in $IPTABLES_VARIANTS; do
	rpf_rules "$v" 4
	rpf_expect fail "$v strict: b from 10.8.0.5 (route back via ra)" b 10.8.0.5 10.2.0.1
	rpf_rules "$v" 4 --loose
	rpf_expect pass "$v loose: b from 10.8.0.5 (route back via ra)" b 10.8.0.5 10.2.0.1
	rpf_expect pass "$v loose: b from its own address" b 10.2.0.2 10.2.0.1
	rpf_expect fail "$v loose: b from blackholed 10.66.0.5" b 10.66.0.5 10.2.0.1
	rpf_expect fail "$v loose: b from unreachable 10.67.0.5" b 10.67.0.5 10.2.0.1
	rpf_expect fail "$v loose: b from unrouted 192.0.2.7" b 192.0.2.7 10.2.0.1
	rpf_rules "$v" 6
	rpf_expect fail "$v strict: b from fd08::5 (route back via ra)" b fd08::5 fd02::1
	rpf_rules "$v" 6 --loose
	rpf_expect pass "$v loose: b from fd08::5 (route back via ra)" b fd08::5 fd02::1
	rpf_expect fail "$v loose: b from blackholed fd66::5" b fd66::5 fd02::1
	rpf_expect fail "$v loose: b from prohibited fd67::5" b fd67::5 fd02::1
	rpf_expect fail "$v loose: b from unrouted 2001:db8::7" b 2001:db8::7 fd02::1
	# r is a router: fd01:: is its subnet-router anycast address on ra
	rpf_rules "$v" 6 --loose --accept-local
	rpf_expect fail "$v loose, accept-local: b from r's anycast fd01::" b fd01:: fd02::1
done
rpf_assert_modules
finish
