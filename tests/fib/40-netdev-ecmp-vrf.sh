#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# fib in the netdev family (ingress of r1), `fib daddr type local` in input,
# then strict reverse path checks against a multipath (ECMP) route, where a
# packet arriving on any of the route's nexthop devices passes (IPv4 and
# IPv6), and inside a VRF, where the VRF's own table is the one looked up.
source ../lib/common.sh
source ./lib.sh
fib_assert_ours
fib_topo

# --- netdev ingress
nsrun r nft -f - <<'EOF2' || die "cannot load the netdev ruleset"
table netdev n {
	chain in {
		type filter hook ingress device "r1" priority 0; policy accept;
		fib saddr . iif oif missing counter drop comment "spoofed"
		counter comment "passed"
	}
}
EOF2
ok "netdev: h1 -> r passes (IPv4)" nsrun h1 ping -q -c1 -W2 10.1.0.1
ok "netdev: h1 -> r passes (IPv6)" nsrun h1 ping -q -c1 -W2 fd01::1
nok "netdev: h1 forging 10.99.0.5 is dropped" nsrun h1 ping -q -c1 -W1 -I 10.99.0.5 10.1.0.1
nok "netdev: h1 forging fd99::5 is dropped" nsrun h1 ping -q -c1 -W1 -I fd99::5 fd01::1
eq "netdev: spoofed counter" "$(fib_pkts r netdev n in spoofed)" 2
ge "netdev: passed counter" "$(fib_pkts r netdev n in passed)" 2
nsrun r nft delete table netdev n

# --- fib daddr type local in input
nsrun r nft -f - <<'EOF2' || die "cannot load the input ruleset"
table ip t {
	chain in {
		type filter hook input priority 0; policy accept;
		icmp type echo-request fib daddr type local counter comment "local"
		icmp type echo-request fib daddr type != local counter comment "other"
	}
}
EOF2
ping1 h1 10.1.0.1
ping1 h1 10.2.0.1
ping1 h1 10.2.0.2
eq "input: echo requests to r's two addresses are local" "$(fib_pkts r ip t in local)" 2
eq "input: nothing else reaches input" "$(fib_pkts r ip t in other)" 0
nsrun r nft delete table ip t

# --- ECMP: 10.99/16 and fd99::/64 over r1 and r2; r3 (h3) is not a nexthop
netns h3
veth r r3 h3 h3
ip -n r addr add 10.3.0.1/24 dev r3
ip -n r addr add fd03::1/64 dev r3 nodad
ip -n h3 addr add 10.3.0.2/24 dev h3
ip -n h3 addr add fd03::2/64 dev h3 nodad
ip -n h3 addr add 10.99.0.5/32 dev lo
ip -n h3 addr add fd99::5/128 dev lo nodad
ip -n h3 route add default via 10.3.0.1
ip -n h3 -6 route add default via fd03::1
ip -n r rule del fwmark 7 table 7
ip -n r -6 rule del fwmark 7 table 7
ip -n r route replace 10.99.0.0/16 nexthop via 10.1.0.2 dev r1 nexthop via 10.2.0.2 dev r2
ip -n r -6 route del fd99::/64
ip -n r -6 route add fd99::/64 nexthop via fd01::2 dev r1 nexthop via fd02::2 dev r2
nsrun r nft -f - <<'EOF2' || die "cannot load the ECMP ruleset"
table inet t {
	chain pre {
		type filter hook prerouting priority raw; policy accept;
		meta l4proto { icmp, ipv6-icmp } ip saddr 10.99.0.5 fib saddr . iif oif exists counter comment "v4-pass"
		meta l4proto { icmp, ipv6-icmp } ip saddr 10.99.0.5 fib saddr . iif oif missing counter comment "v4-fail"
		meta l4proto { icmp, ipv6-icmp } ip6 saddr fd99::5 fib saddr . iif oif exists counter comment "v6-pass"
		meta l4proto { icmp, ipv6-icmp } ip6 saddr fd99::5 fib saddr . iif oif missing counter comment "v6-fail"
	}
}
EOF2
for h in h1 h2 h3; do
	ping1 $h -I 10.99.0.5 10.3.0.1
	ping1 $h -I fd99::5 fd03::1
done
eq "ECMP IPv4: from h1 and h2 (nexthops) pass" "$(fib_pkts r inet t pre v4-pass)" 2
eq "ECMP IPv4: from h3 (no nexthop) fails" "$(fib_pkts r inet t pre v4-fail)" 1
eq "ECMP IPv6: from h1 and h2 (nexthops) pass" "$(fib_pkts r inet t pre v6-pass)" 2
eq "ECMP IPv6: from h3 (no nexthop) fails" "$(fib_pkts r inet t pre v6-fail)" 1

# --- VRF: r3 into VRF blue, whose table 10 routes 10.99/16 and fd99::/64
# back through r3; the main table's ECMP route does not count there.
modprobe vrf 2>/dev/null || skip "no vrf module"
ip -n r link add blue type vrf table 10
ip -n r link set blue up
ip -n r link set r3 master blue
ip -n r addr add fd03::1/64 dev r3 nodad 2>/dev/null
ip -n r route add 10.99.0.0/16 via 10.3.0.2 dev r3 table 10
ip -n r -6 route add fd99::/64 via fd03::2 dev r3 table 10
nsrun r nft flush table inet t
nsrun r nft -f - <<'EOF2' || die "cannot load the VRF rules"
add rule inet t pre iifname "r3" icmp type echo-request fib saddr . iif oif exists counter comment "vrf-pass"
add rule inet t pre iifname "r3" icmpv6 type echo-request fib saddr . iif oif exists counter comment "vrf-pass6"
add rule inet t pre iifname "r3" icmp type echo-request fib saddr . iif oif missing counter comment "vrf-fail"
add rule inet t pre iifname "r3" icmpv6 type echo-request fib saddr . iif oif missing counter comment "vrf-fail6"
EOF2
ping1 h3 -I 10.99.0.5 10.3.0.1
ping1 h3 -I fd99::5 fd03::1
eq "VRF: 10.99.0.5 passes on r3 (table 10)" "$(fib_pkts r inet t pre vrf-pass)" 1
eq "VRF: fd99::5 passes on r3 (table 10)" "$(fib_pkts r inet t pre vrf-pass6)" 1
eq "VRF: nothing failed yet" "$(fib_pkts r inet t pre vrf-fail)$(fib_pkts r inet t pre vrf-fail6)" 00
ip -n h3 addr add 10.2.0.7/32 dev lo
ip -n h3 addr add fd02::7/128 dev lo nodad
ping1 h3 -I 10.2.0.7 10.3.0.1
ping1 h3 -I fd02::7 fd03::1
eq "VRF: 10.2.0.7 (routed only in main) fails" "$(fib_pkts r inet t pre vrf-fail)" 1
eq "VRF: fd02::7 (routed only in main) fails" "$(fib_pkts r inet t pre vrf-fail6)" 1
finish
