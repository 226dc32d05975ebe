#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Random and mutated fib expressions (nl-fuzz fib: NFTA_FIB_* attributes
# with unknown flags and results, wrong lengths, nested garbage) in
# NFT_MSG_NEWRULE batches to every family and hook, while a ping flood
# crosses the router and the rules that commit evaluate it. Afterwards the
# chains are empty, the fib modules' references are back, and a real fib
# rule still counts the packets a user expects.
cd "$(dirname "$0")" && source ../lib/common.sh && source ../nfqueue/lib.sh && source ./lib.sh
assert_ours $FIB_MODS
topo
refs_save $FIB_MODS
nsrun rtr nft -f - <<'NFT' || die "fuzz tables"
table inet fz {
	chain c_pre { type filter hook prerouting priority 0; }
	chain c_in { type filter hook input priority 0; }
	chain c_fwd { type filter hook forward priority 0; }
	chain c_out { type filter hook output priority 0; }
	chain c_post { type filter hook postrouting priority 0; }
}
table ip fz4 { chain c_pre { type filter hook prerouting priority 0; }; }
table ip6 fz6 { chain c_out { type filter hook output priority 0; }; }
table netdev fzd { chain c_ing { type filter hook ingress device eth0 priority 0; }; }
NFT
flood cli 10.0.2.2
before=$(bad_dmesg)
fuzz_run fib "$(size 200000 8000)" inet:fz:c_pre inet:fz:c_in inet:fz:c_fwd \
	inet:fz:c_out inet:fz:c_post ip:fz4:c_pre ip6:fz6:c_out netdev:fzd:c_ing
eq "no oops or warning in dmesg" "$(bad_dmesg)" "$before"
eq "the fuzzer's chains are empty" "$(nsrun rtr nft list ruleset | grep -c fib)" 0
nsrun rtr nft delete table inet fz
nsrun rtr nft delete table ip fz4
nsrun rtr nft delete table ip6 fz6
nsrun rtr nft delete table netdev fzd
refs_back $FIB_MODS
kill "${NFQ_PIDS[@]}" 2>/dev/null
wait 2>/dev/null

nsrun rtr nft -f - <<'NFT' || die "real rules"
table inet t {
	chain pre { type filter hook prerouting priority 0;
		icmp type echo-request fib saddr . iif oif missing counter drop comment "spoofed"
		icmp type echo-request fib saddr . iif oif exists counter comment "good"
	}
	chain in { type filter hook input priority 0;
		icmp type echo-request fib daddr . iif type local counter comment "local"
	}
}
NFT
eq "pings to rtr answered" "$(pings cli 10.0.1.1 5)" 5
eq "fib: strict check passed them" "$(ns_nft_pkts rtr inet t pre good)" 5
eq "fib: none failed it" "$(ns_nft_pkts rtr inet t pre spoofed)" 0
eq "fib: addressed to a local address" "$(ns_nft_pkts rtr inet t in local)" 5
finish
