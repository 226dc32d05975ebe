#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# With Linux 6.1's own xt_CT (which reports 4 bytes of a timeout policy
# name): nfext's libxt_CT (iptables-patches/0010, 0011) still gives a
# save/restore round trip of every rule form (roundtrip.sh; legacy through
# iptables-legacy-restore, since -A after a long name fails in the kernel),
# deletes rules by specification, and says on stderr when a prefix is
# shared by several policies in use instead of guessing.
cd "$(dirname "$0")" && source ../lib/common.sh && source ./lib.sh
intree=/lib/modules/$(uname -r)/kernel/net/netfilter/xt_CT.ko
[ -f "$intree" ] || skip "no in-tree xt_CT.ko"
if [ -d /sys/module/xt_CT ]; then
	rmmod xt_CT || die "cannot unload nfext's xt_CT"
fi
insmod "$intree" || die "cannot load the in-tree xt_CT"
ok "an xt_CT is loaded" test -d /sys/module/xt_CT
nok "and it is the in-tree one" is_ours xt_CT

XT_CT=intree
source ./roundtrip.sh

STOCK=$(pkg-config --variable=xtlibdir xtables 2>/dev/null || echo /usr/lib/x86_64-linux-gnu/xtables)
nsx srv iptables-nft -t raw -A PREROUTING -p tcp --dport 7777 -j CT --timeout web_t
log "Debian's own libxt_CT shows: $(nsx srv env XTABLES_LIBDIR="$STOCK" iptables-nft -t raw -S PREROUTING 2>/dev/null | grep -o -- '--timeout [^ ]*')"
nsx srv iptables-nft -t raw -F

log "nft: deleting a rule by its specification"
ok "rule" nsx srv iptables-nft -t raw -A PREROUTING -p tcp --dport 7777 -j CT --timeout ftp_long_policy
ok "-D by spec" nsx srv iptables-nft -t raw -D PREROUTING -p tcp --dport 7777 -j CT --timeout ftp_long_policy
eq "table empty" "$(nsx srv iptables-nft -t raw -S PREROUTING | grep -c -- '^-A')" 0

log "a prefix no single policy in use owns is reported, not guessed"
ctt srv add amb_one inet tcp established 11 || die "add amb_one"
ctt srv add amb_two inet tcp established 12 || die "add amb_two"
ok "rule 1" nsx srv iptables-nft -t raw -A PREROUTING -p tcp --dport 1 -j CT --timeout amb_one
ok "rule 2" nsx srv iptables-nft -t raw -A PREROUTING -p tcp --dport 2 -j CT --timeout amb_two
quiet nsx srv iptables-nft -t raw -S PREROUTING
contains "warning names the cut-short name" "$err" 'CT: timeout policy name "amb_" may be cut short by the kernel'
contains "and why it is not resolved" "$err" "several cttimeout policies start with it"
eq "one line per rule" "$(grep -c . <<<"$err")" 2
nsx srv iptables-nft -t raw -F
finish
