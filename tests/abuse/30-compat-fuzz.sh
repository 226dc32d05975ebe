#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# x_tables blobs through nft_compat (nl-fuzz compat): the rpfilter match,
# the NFQUEUE, CT and NOTRACK targets, every revision and unknown ones,
# with valid-then-mutated, random and wrongly sized NFTA_MATCH_INFO /
# NFTA_TARGET_INFO, in ip and ip6 tables of every hook, under a ping flood.
# Afterwards the chains are empty, the modules' references are back and
# iptables-nft rules with each extension count the pings a user sends.
cd "$(dirname "$0")" && source ../lib/common.sh && source ../nfqueue/lib.sh && source ./lib.sh
assert_ours $XT_MODS
topo
refs_save $XT_MODS nfnetlink_queue
nsrun rtr nft -f - <<'NFT' || die "fuzz tables"
table ip raw {
	chain PREROUTING { type filter hook prerouting priority -300; }
	chain OUTPUT { type filter hook output priority -300; }
}
table ip mangle { chain PREROUTING { type filter hook prerouting priority -150; }; }
table ip filter { chain FORWARD { type filter hook forward priority 0; }; }
table ip6 raw { chain PREROUTING { type filter hook prerouting priority -300; }; }
NFT
flood cli 10.0.2.2
before=$(bad_dmesg)
fuzz_run compat "$(size 200000 6000)" ip:raw:PREROUTING ip:raw:OUTPUT \
	ip:mangle:PREROUTING ip:filter:FORWARD ip6:raw:PREROUTING
eq "no oops or warning in dmesg" "$(bad_dmesg)" "$before"
eq "the fuzzer's chains are empty" "$(nsrun rtr nft list ruleset | grep -Ec 'xt |rpfilter|NFQUEUE|CT|queue')" 0
nsrun rtr nft flush ruleset
refs_back $XT_MODS nfnetlink_queue
kill "${NFQ_PIDS[@]}" 2>/dev/null
wait 2>/dev/null
xt_real_check iptables-nft
finish
