#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# With nfext's xt_CT: iptables-save / iptables-restore round trip of every
# -j CT --timeout rule form, iptables-legacy and iptables-nft, IPv4 and
# IPv6 (roundtrip.sh); the three defects of stock Debian 12 are gone even
# with Debian's own libxt_CT: -S shows the whole name, iptables-legacy can
# add a rule after one with a long policy name, rules can be deleted by
# specification, policies sharing a 4-character prefix are told apart.
cd "$(dirname "$0")" && source ../lib/common.sh && source ./lib.sh
XT_CT=nfext
source ./roundtrip.sh

assert_ours xt_CT
STOCK=$(pkg-config --variable=xtlibdir xtables 2>/dev/null || echo /usr/lib/x86_64-linux-gnu/xtables)
for v in $IPTABLES_VARIANTS; do
	log "$v with Debian's own libxt_CT"
	ipt() { nsx srv env XTABLES_LIBDIR="$STOCK" "iptables-$v" -t raw "$@"; }
	ok "$v: rule with web_t" ipt -A PREROUTING -p tcp --dport 7777 -j CT --timeout web_t
	ok "$v: a freshly added policy" ctt srv add web_long_policy inet tcp established 200
	ok "$v: a later rule with it" ipt -A PREROUTING -p tcp --dport 7778 -j CT --timeout web_long_policy
	eq "$v: -S shows both names whole" "$(ipt -S PREROUTING | grep -o -- '--timeout [^ ]*' | tr '\n' ' ')" \
		"--timeout web_t --timeout web_long_policy "
	ok "$v: -D by specification" ipt -D PREROUTING -p tcp --dport 7777 -j CT --timeout web_t
	ok "$v: -C of the other" ipt -C PREROUTING -p tcp --dport 7778 -j CT --timeout web_long_policy
	ipt -F
	ctt srv delete web_long_policy
	unset -f ipt
done

log "policies sharing a 4-character prefix"
ctt srv add amb_one inet tcp established 11 || die "add amb_one"
ctt srv add amb_two inet tcp established 12 || die "add amb_two"
for v in $IPTABLES_VARIANTS; do
	ok "$v: rule 1" nsx srv "iptables-$v" -t raw -A PREROUTING -p tcp --dport 1 -j CT --timeout amb_one
	ok "$v: rule 2" nsx srv "iptables-$v" -t raw -A PREROUTING -p tcp --dport 2 -j CT --timeout amb_two
	quiet nsx srv "iptables-$v" -t raw -S PREROUTING
	eq "$v: no complaint" "$err" ""
	eq "$v: both names whole" "$(nsx srv "iptables-$v" -t raw -S PREROUTING 2>/dev/null | grep -o -- '--timeout [^ ]*' | tr '\n' ' ')" \
		"--timeout amb_one --timeout amb_two "
	nsx srv "iptables-$v" -t raw -F
done
finish
