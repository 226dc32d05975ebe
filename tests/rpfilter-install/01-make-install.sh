#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# After `make install`, `iptables -m rpfilter` (legacy and nft, IPv4 and
# IPv6) makes the kernel autoload nfext's xt_rpfilter, never the in-tree
# ipt_rpfilter/ip6t_rpfilter, and the system's plugin directory holds
# nfext's plugin. After `make uninstall` the in-tree module is back.
# (This area loads nothing beforehand: what loads is what modprobe picks.)
. ../lib/common.sh
unset XTABLES_LIBDIR	# the system's plugin directory, as on a real host
netns r
at() { local ns=$1; shift; ip netns exec "$ns" "$@"; }
gone() {
	local m
	for t in raw mangle; do
		for i in iptables-legacy ip6tables-legacy iptables-nft ip6tables-nft; do
			at r $i -t $t -F 2>/dev/null
		done
	done
	at r nft flush ruleset
	for m in xt_rpfilter ipt_rpfilter ip6t_rpfilter; do
		[ -d /sys/module/$m ] && rmmod $m
	done
	return 0
}
gone
assert_absent xt_rpfilter ipt_rpfilter ip6t_rpfilter

log "make install"
out=$(make -C "$NFEXT_REPO" -s install 2>&1)
rc=$?
eq "make install: exit status" "$rc" 0 || echo "$out" | tail -n 20
kver=$(uname -r)
ok "xt_rpfilter.ko installed under updates/" test -f "/lib/modules/$kver/updates/nfext/xt_rpfilter.ko"
ok "modprobe.d file installed" test -f /etc/modprobe.d/nfext-xt_rpfilter.conf
eq "modprobe resolves ipt_rpfilter to" "$(modprobe --resolve-alias ipt_rpfilter 2>&1)" xt_rpfilter
eq "modprobe resolves ip6t_rpfilter to" "$(modprobe --resolve-alias ip6t_rpfilter 2>&1)" xt_rpfilter
contains "the system's libxt_rpfilter.so is nfext's" "$(iptables -m rpfilter --help 2>&1)" "rpfilter match options (nfext"

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

log "make uninstall"
gone
out=$(make -C "$NFEXT_REPO" -s uninstall 2>&1)
eq "make uninstall: exit status" "$?" 0 || echo "$out" | tail -n 20
nok "modprobe.d file removed" test -e /etc/modprobe.d/nfext-xt_rpfilter.conf
ok "iptables -m rpfilter after uninstall" at r iptables-legacy -t raw -A PREROUTING -m rpfilter
ok "the in-tree ipt_rpfilter is what loads after uninstall" test -d /sys/module/ipt_rpfilter
assert_absent xt_rpfilter
nok "the system's plugin is the stock one again" grep -q nfext "$(pkg-config --variable=xtlibdir xtables)/libxt_rpfilter.so"
gone
finish
