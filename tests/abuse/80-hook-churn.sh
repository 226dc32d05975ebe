#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Hook churn under a flood: a table with a base chain on every inet hook,
# each with one of nfext's fib rules, is created and deleted round after
# round while a ping flood crosses the router. Every sampled round's rules
# judged packets of the flood (the last round's too), every round was
# applied and removed whole, and afterwards the router still forwards and
# the fib modules' references are back.
#
# Each round registers and unregisters the router's hooks; when no other
# namespace holds hooks of a kind, the kernel rewrites the code that tests
# its static key while the flood runs through it. Under QEMU's
# multi-threaded TCG that wedged the guest (tests/vm/keep-keys.sh): booted
# with nfext.keepkeys=0, this scenario does not come back.
cd "$(dirname "$0")" && source ../lib/common.sh && source ../nfqueue/lib.sh && source ./lib.sh
assert_ours $FIB_MODS
topo
refs_save $FIB_MODS
rounds=$(size 2000 150)
flood cli 10.0.2.2

applied=0 removed=0 samples=0 judged=0
t0=$(date +%s)
for i in $(seq "$rounds"); do
	nsrun rtr nft -f - <<'NFT' && applied=$((applied + 1))
table inet churn {
	chain c_pre { type filter hook prerouting priority 0;
		fib saddr . iif oif exists counter
	}
	chain c_in { type filter hook input priority 0;
		fib daddr . iif type local counter
	}
	chain c_fwd { type filter hook forward priority 0;
		fib saddr . iif oif exists counter comment "fwd"
	}
	chain c_out { type filter hook output priority 0;
		fib daddr type unicast counter
	}
	chain c_post { type filter hook postrouting priority 0;
		fib daddr type unicast counter
	}
}
NFT
	if [ $((i % 10)) = 0 ]; then
		samples=$((samples + 1))
		n=$(ns_nft_pkts rtr inet churn c_fwd fwd)
		[ "${n:-0}" -gt 0 ] && judged=$((judged + 1))
	fi
	nsrun rtr nft delete table inet churn && removed=$((removed + 1))
done
secs=$(( $(date +%s) - t0 ))
eq "every round's table was applied" "$applied" "$rounds"
eq "every round's table was deleted" "$removed" "$rounds"
ge "rounds sampled" "$samples" 1
eq "every sampled round's fib rule judged flood packets" "$judged" "$samples"
eq "no table left" "$(nsrun rtr nft list tables | grep -c churn)" 0
kill "${NFQ_PIDS[@]}" 2>/dev/null
wait 2>/dev/null
eq "pings cross rtr after the churn" "$(pings cli 10.0.2.2 5)" 5
refs_back $FIB_MODS
result "hook churn: $rounds rounds of 5 base chains with fib rules under a flood in ${secs}s"
finish
