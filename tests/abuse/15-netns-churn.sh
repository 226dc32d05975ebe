#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Network namespaces created and destroyed in parallel batches, each with
# rpfilter, CT and NFQUEUE rules (iptables-legacy), an nft fib rule, a bound
# queue whose listener holds the namespace's own pings, and the listener
# SIGKILLed with them held just before the namespace is deleted. Every
# namespace held packets; afterwards no namespace is left and every
# module's reference count is back: nothing of the dead namespaces stays.
cd "$(dirname "$0")" && source ../lib/common.sh && source ../nfqueue/lib.sh && source ./lib.sh
need_bins
assert_ours $NFEXT_MODS
n=$(size 1000 24)
par=4
refs_save $NFEXT_MODS

# one_ns I: the life of namespace churnI; prints "held N".
one_ns() {
	local ns=churn$1
	ip netns add "$ns" || { echo "held -1"; return; }
	ip netns exec "$ns" bash -c '
		ip link set lo up
		iptables-legacy-restore <<IPT || exit 1
*raw
-A PREROUTING -m rpfilter --loose -j ACCEPT
-A OUTPUT -p udp -j CT --notrack
COMMIT
*filter
-A OUTPUT -p icmp -j NFQUEUE --queue-num 1
COMMIT
IPT
		nft add table inet t &&
		nft add chain inet t pre "{ type filter hook prerouting priority 0; }" &&
		nft add rule inet t pre fib saddr . iif oif exists counter || exit 1
		"$0" -q 1 -H -l 8 > /tmp/$$.l 2>&1 &
		lp=$!
		for i in $(seq 100); do grep -q ready /tmp/$$.l && break; sleep 0.05; done
		ping -c 3 -i 0.01 -W 0.1 127.0.0.1 > /dev/null 2>&1
		echo udp > /dev/udp/127.0.0.1/9
		echo "held $(awk "\$1 == 1 { print \$3 }" /proc/net/netfilter/nfnetlink_queue)"
		# no "Killed" line among the reports
		{ kill -9 $lp; wait $lp; } 2> /dev/null
		rm -f /tmp/$$.l
	' "$NFQ_BIN/nfq-listener"
	ip netns del "$ns"
}
export -f one_ns
export NFQ_BIN

t0=$(date +%s)
seq "$n" | xargs -P "$par" -I{} bash -c 'one_ns {}' > "$NFQ_TMP/held" 2>&1
secs=$(( $(date +%s) - t0 ))
eq "every namespace reported" "$(grep -c '^held ' "$NFQ_TMP/held")" "$n"
eq "every namespace's queue held its packets" "$(grep -c '^held [1-9]' "$NFQ_TMP/held")" "$n"
grep -v '^held [1-9]' "$NFQ_TMP/held" | head -n 5
eq "no churn namespace left" "$(ip netns list | grep -c '^churn')" 0
# namespaces die asynchronously (cleanup_net): wait for the references
for i in $(seq 60); do
	back=1
	for m in $NFEXT_MODS; do
		[ "$(cat "/sys/module/$m/refcnt")" = "${REFS[$m]}" ] || back=0
	done
	[ "$back" = 1 ] && break
	sleep "$(tscale 0.5)"
done
refs_back $NFEXT_MODS
result "namespaces $n ($par in parallel) with rules, a bound queue and held packets, in ${secs}s"
finish
