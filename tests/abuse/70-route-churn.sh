#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Routing churn under a flood: while u floods router r with echo requests
# from 10.9.0.5 on link up1, r's route back to 10.9.0.0/24 is replaced
# thousands of times (single nexthop via up1 or up2, ECMP over both, nexthop
# objects and groups added, replaced and deleted, up2 enslaved to a VRF and
# released). An nft fib rule and an iptables rpfilter rule judge every
# packet: at the end each packet was counted once, by a pass or by a fail
# rule, in both, and both saw passes and failures.
cd "$(dirname "$0")" && source ../lib/common.sh && source ../nfqueue/lib.sh && source ./lib.sh
assert_ours xt_rpfilter $FIB_MODS
netns r u
veth u u1 r up1
veth u u2 r up2
ip -n u addr add 10.8.1.2/24 dev u1
ip -n u addr add 10.8.2.2/24 dev u2
ip -n u addr add 10.9.0.5/32 dev lo
ip -n r addr add 10.8.1.1/24 dev up1
ip -n r addr add 10.8.2.1/24 dev up2
ip -n r link add blue type vrf table 100
ip -n r link set blue up
nsrun r sysctl -qw net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0
ip -n r route add 10.9.0.0/24 via 10.8.1.2 dev up1

R=(-i up1 -p icmp --icmp-type echo-request)
nsrun r iptables-legacy -t raw -A PREROUTING "${R[@]}"
nsrun r iptables-legacy -t raw -A PREROUTING "${R[@]}" -m rpfilter -j ACCEPT
nsrun r iptables-legacy -t raw -A PREROUTING "${R[@]}" -j DROP
nsrun r nft -f - <<'NFT' || die "nft rules"
table inet churn {
	chain c { type filter hook prerouting priority -400;
		iifname "up1" icmp type echo-request counter comment "all"
		iifname "up1" icmp type echo-request fib saddr . iif oif exists counter accept comment "pass"
		iifname "up1" icmp type echo-request counter comment "fail"
	}
}
NFT
eq "a ping passes before the churn" "$(nsrun u ping -c 2 -i 0.2 -W 2 -I 10.9.0.5 10.8.1.1 | sed -n 's/.* \([0-9]*\) received.*/\1/p')" 2

iters=$(size 5000 1000)
{
	for ((i = 0; i < iters; i++)); do
		echo "route replace 10.9.0.0/24 via 10.8.2.2 dev up2"
		echo "route replace 10.9.0.0/24 nexthop via 10.8.1.2 dev up1 nexthop via 10.8.2.2 dev up2"
		echo "nexthop add id 1 via 10.8.1.2 dev up1"
		echo "nexthop add id 2 via 10.8.2.2 dev up2"
		echo "nexthop add id 10 group 1/2"
		echo "route replace 10.9.0.0/24 nhid 10"
		echo "nexthop replace id 10 group 2"
		echo "nexthop replace id 10 group 1,3/2"
		echo "nexthop del id 1"
		echo "nexthop del id 10"
		echo "nexthop del id 2"
		echo "route replace 10.9.0.0/24 via 10.8.1.2 dev up1"
		if ((i % 10 == 0)); then
			echo "link set up2 master blue"
			echo "route replace 10.9.0.0/24 via 10.8.2.2 dev up2 table 100"
			echo "link set up1 master blue"
			echo "route replace 10.9.0.0/24 via 10.8.1.2 dev up1 table 100"
			echo "link set up1 nomaster"
			echo "link set up2 nomaster"
			echo "link set up1 up"
			echo "link set up2 up"
			echo "route replace 10.9.0.0/24 via 10.8.1.2 dev up1"
		fi
	done
} > "$NFQ_TMP/churn.batch"
ops=$(wc -l < "$NFQ_TMP/churn.batch")

ip netns exec u ping -f -q -I 10.9.0.5 10.8.1.1 > "$NFQ_TMP/flood.out" 2>&1 &
fpid=$!
NFQ_PIDS+=("$fpid")
sleep "$(tscale 0.5)"
t0=$(date +%s)
ip -n r -force -batch "$NFQ_TMP/churn.batch" > "$NFQ_TMP/churn.out" 2>&1
secs=$(( $(date +%s) - t0 ))
kill -INT "$fpid"
wait "$fpid"
sleep "$(tscale 1)"
log "$(tail -n 3 "$NFQ_TMP/flood.out")"
log "ip -batch refused $(grep -c . "$NFQ_TMP/churn.out") of $ops operations"

all=$(rule_pkts r PREROUTING 1 raw)
pass=$(rule_pkts r PREROUTING 2 raw)
failed=$(rule_pkts r PREROUTING 3 raw)
nall=$(ns_nft_pkts r inet churn c all)
npass=$(ns_nft_pkts r inet churn c pass)
nfail=$(ns_nft_pkts r inet churn c fail)
log "rpfilter: $all packets, $pass passed, $failed failed; fib: $nall packets, $npass passed, $nfail failed"
ge "the flood reached the rules" "$all" 1000
eq "rpfilter: every packet counted once, by the pass or the fail rule" "$((pass + failed))" "$all"
eq "fib: every packet counted once, by the pass or the fail rule" "$((npass + nfail))" "$nall"
eq "nft and iptables saw the same packets" "$nall" "$all"
ge "rpfilter passed some" "$pass" 1
ge "rpfilter failed some" "$failed" 1
ge "fib passed some" "$npass" 1
ge "fib failed some" "$nfail" 1
eq "after the churn the route via up1 passes again" "$(nsrun u ping -c 2 -i 0.2 -W 2 -I 10.9.0.5 10.8.1.1 | sed -n 's/.* \([0-9]*\) received.*/\1/p')" 2
result "iterations $iters, route/nexthop/VRF operations $ops in ${secs}s, packets judged $all (rpfilter pass $pass fail $failed, fib pass $npass fail $nfail)"
finish
