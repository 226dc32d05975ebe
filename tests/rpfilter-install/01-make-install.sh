#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# `make install` puts nfext's xt_rpfilter under updates/, the modprobe.d
# aliases that send ipt_rpfilter/ip6t_rpfilter to it, and nfext's plugin in
# the system's xtables directory. (This area loads nothing beforehand: the
# next scenarios see what modprobe really picks.)
. ../lib/common.sh
. ./lib.sh
netns r
gone
assert_absent xt_rpfilter ipt_rpfilter ip6t_rpfilter
log "make install ${PARTS[*]}"
out=$(make -C "$NFEXT_REPO" -s install "${PARTS[@]}" 2>&1)
eq "make install: exit status" "$?" 0 || echo "$out" | tail -n 20
kver=$(uname -r)
ok "xt_rpfilter.ko installed under updates/" test -f "/lib/modules/$kver/updates/nfext/xt_rpfilter.ko"
ok "modprobe.d file installed" test -f /etc/modprobe.d/nfext-xt_rpfilter.conf
eq "modprobe resolves ipt_rpfilter to" "$(modprobe --resolve-alias ipt_rpfilter 2>&1)" xt_rpfilter
eq "modprobe resolves ip6t_rpfilter to" "$(modprobe --resolve-alias ip6t_rpfilter 2>&1)" xt_rpfilter
contains "the system's libxt_rpfilter.so is nfext's" "$(iptables -m rpfilter --help 2>&1)" "rpfilter match options (nfext"
finish
