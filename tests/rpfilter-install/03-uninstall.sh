#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# `make uninstall` undoes 01: no modprobe.d aliases, the in-tree
# ipt_rpfilter is what `iptables -m rpfilter` loads again, and the stock
# plugin is back in the system's xtables directory.
. ../lib/common.sh
. ./lib.sh
netns r
gone
out=$(make -C "$NFEXT_REPO" -s uninstall "${PARTS[@]}" 2>&1)
eq "make uninstall: exit status" "$?" 0 || echo "$out" | tail -n 20
nok "modprobe.d file removed" test -e /etc/modprobe.d/nfext-xt_rpfilter.conf
ok "iptables -m rpfilter after uninstall" at r iptables-legacy -t raw -A PREROUTING -m rpfilter
ok "the in-tree ipt_rpfilter is what loads after uninstall" test -d /sys/module/ipt_rpfilter
assert_absent xt_rpfilter
nok "the system's plugin is the stock one again" grep -q nfext "$(pkg-config --variable=xtlibdir xtables)/libxt_rpfilter.so"
gone
finish
