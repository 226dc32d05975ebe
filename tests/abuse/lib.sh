# SPDX-License-Identifier: GPL-2.0
#
# Helpers of the abuse scenarios (sourced after ../lib/common.sh and
# ../nfqueue/lib.sh, whose cli -- rtr -- srv topology they use).
#
# Sizes: make check runs a seeded slice of each scenario; make abuse
# (NFEXT_ABUSE_FULL=1) runs the full sizes. NFEXT_ABUSE_SEED replays a run.

ABUSE_FULL=${NFEXT_ABUSE_FULL:-0}
ABUSE_SEED=${NFEXT_ABUSE_SEED:-13}

NFEXT_MODS="xt_rpfilter nft_fib nft_fib_ipv4 nft_fib_ipv6 nft_fib_inet nft_fib_netdev nfnetlink_queue xt_NFQUEUE xt_CT"
FIB_MODS="nft_fib nft_fib_ipv4 nft_fib_ipv6 nft_fib_inet nft_fib_netdev"
XT_MODS="xt_rpfilter xt_NFQUEUE xt_CT"

# size FULL SLICE: the size of this run.
size() { if [ "$ABUSE_FULL" = 1 ]; then echo "$1"; else echo "$2"; fi; }

# result KEY VALUE...: a line tests/RESULTS.md quotes.
result() { echo "RESULT $(basename "$0" .sh): $*"; }

# refs_save MOD...: remember the modules' reference counts.
declare -A REFS
refs_save() {
	local m
	for m in "$@"; do REFS[$m]=$(cat "/sys/module/$m/refcnt"); done
}

# refs_back MOD...: the counts are what refs_save saw (rules gone, the
# references they held given back).
refs_back() {
	local m
	for m in "$@"; do
		eq "$m's reference count is back" "$(cat "/sys/module/$m/refcnt")" "${REFS[$m]}"
	done
}

# flood NS DST: a ping flood from NS to DST for the rest of the scenario.
flood() {
	ip netns exec "$1" ping -f -q "$2" > /dev/null 2>&1 &
	NFQ_PIDS+=($!)
}

# bad_dmesg: how many oops/warning lines the kernel log holds.
bad_dmesg() { dmesg | grep -Ec 'BUG|WARNING|Oops|general protection|KASAN|UBSAN'; }

# xt_real_check IPT: with iptables front end IPT in rtr, the rpfilter
# match, the NFQUEUE target (bypass, no listener) and the CT target each
# count the 5 pings cli -> srv, and the pings arrive.
xt_real_check() {
	local ipt=$1
	nsrun rtr "$ipt" -t raw -A PREROUTING -p icmp --icmp-type echo-request \
		-m rpfilter -j CT --notrack || { fail "$ipt: rpfilter and CT rule"; return; }
	nsrun rtr "$ipt" -A FORWARD -p icmp --icmp-type echo-request \
		-j NFQUEUE --queue-num 7 --queue-bypass || { fail "$ipt: NFQUEUE rule"; return; }
	eq "$ipt: pings cross rtr after the fuzzing" "$(pings cli 10.0.2.2 5)" 5
	eq "$ipt: the rpfilter + CT rule counted them" \
		"$(nsrun rtr "$ipt" -t raw -L PREROUTING 1 -v -x -n | awk '{print $1}')" 5
	eq "$ipt: the NFQUEUE rule counted them" \
		"$(nsrun rtr "$ipt" -L FORWARD 1 -v -x -n | awk '{print $1}')" 5
	nsrun rtr "$ipt" -t raw -F PREROUTING
	nsrun rtr "$ipt" -F FORWARD
}

# fuzz_run MODE COUNT TARGET...: nl-fuzz in rtr; asserts it sent COUNT
# rules, the kernel both took and refused some and answered every batch.
fuzz_run() {
	local mode=$1 n=$2 out rc t0
	shift 2
	t0=$(date +%s)
	out=$(nsrun rtr "$NFQ_BIN/nl-fuzz" "$mode" -n "$n" -s "$ABUSE_SEED" -b 200 -v "$@")
	rc=$?
	log "$out"
	eq "nl-fuzz $mode finished" "$rc" 0
	contains "nl-fuzz $mode sent $n rules" "$out" "sent $n "
	ge "the kernel took some" "$(echo "$out" | sed -n 's/.* accepted \([0-9]*\).*/\1/p')" 1
	ge "the kernel refused some" "$(echo "$out" | sed -n 's/.* refused \([0-9]*\).*/\1/p')" 1
	contains "the kernel answered every batch" "$out" "lost 0"
	result "$mode messages $n seed $ABUSE_SEED seconds $(( $(date +%s) - t0 )) ($out)"
}

# ns_nft_pkts NS FAMILY TABLE CHAIN COMMENT: packets of the rule with COMMENT.
ns_nft_pkts() {
	nsrun "$1" nft list chain "$2" "$3" "$4" |
		sed -n "/comment \"$5\"/s/.*packets \([0-9]*\).*/\1/p" | head -n1
}
