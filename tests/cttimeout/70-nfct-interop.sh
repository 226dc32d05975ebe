#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# conntrack-tools interop: a policy ct-timeout makes, `nfct timeout list`
# shows with its values; a policy nfct makes, ct-timeout get shows, a rule
# can use and ct-timeout refuses to delete while in use; each tool deletes
# the other's unused policy.
cd "$(dirname "$0")" && source ../lib/common.sh && source ./lib.sh
need nfct
topo
ok "ct-timeout add" ctt srv add from_ctt inet tcp established 1234 syn_sent 11
ok "ct-timeout add udp" ctt srv add from_ctt_u inet6 udp replied 321
out=$(nsx srv nfct timeout list)
contains "nfct lists it" "$out" ".from_ctt = {"
contains "with l3proto 2" "$(nsx srv nfct timeout get from_ctt)" ".l3proto = 2,"
contains "with ESTABLISHED 1234" "$(nsx srv nfct timeout get from_ctt)" ".ESTABLISHED = 1234,"
contains "with SYN_SENT 11" "$(nsx srv nfct timeout get from_ctt)" ".SYN_SENT = 11,"
contains "inet6 udp: l3proto 10" "$(nsx srv nfct timeout get from_ctt_u)" ".l3proto = 10,"
contains "inet6 udp: REPLIED 321" "$(nsx srv nfct timeout get from_ctt_u)" ".REPLIED = 321,"

ok "nfct add" nsx srv nfct timeout add from_nfct inet tcp established 4321 close 3
ok "nfct add icmp" nsx srv nfct timeout add from_nfct_i inet icmp timeout 13
eq "ct-timeout reads nfct's ESTABLISHED" "$(state_of srv from_nfct established)" 4321
eq "ct-timeout reads nfct's CLOSE" "$(state_of srv from_nfct close)" 3
eq "ct-timeout reads nfct's icmp" "$(state_of srv from_nfct_i timeout)" 13
contains "json of nfct's policy" "$(ctt srv --json get from_nfct)" '"name":"from_nfct","l3proto":"inet","l4proto":"tcp"'
ok "a rule uses nfct's policy" ipt nft srv -t raw -A PREROUTING -p tcp --dport 80 -j CT --timeout from_nfct
run_err err ctt srv delete from_nfct
eq "ct-timeout refuses to delete nfct's policy in use" "$err" "ct-timeout: policy from_nfct is in use by 1 rules; remove them first"
ipt nft srv -t raw -F
ok "ct-timeout deletes nfct's unused policy" ctt srv delete from_nfct
ok "nfct deletes ct-timeout's policy" nsx srv nfct timeout delete from_ctt
nok "gone for nfct" sh -c "ip netns exec srv nfct timeout list | grep -q from_ctt\ "
eq "ct-timeout list agrees" "$(ctt srv list | awk '{ print $1 }' | sort | tr '\n' ' ')" "from_ctt_u from_nfct_i "
finish
