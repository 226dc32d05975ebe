#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The anti-spoofing example (fib saddr . iif oif missing drop) on a router:
# legitimate traffic from both sides passes, a host that forges a source
# from the other side is dropped, for IPv4 and IPv6. Then the presence
# check the other way round (exists), the loose example with a mark, and
# the strong host example (fib daddr . iif type local) in input.
source ../lib/common.sh
source ./lib.sh
fib_assert_ours
fib_topo
EX=$NFEXT_REPO/userspace/nft/examples

ok "load examples/antispoof.nft" nsrun r nft -f "$EX/antispoof.nft"
ok "h1 -> h2 (IPv4) passes" nsrun h1 ping -q -c2 -W2 10.2.0.2
ok "h1 -> h2 (IPv6) passes" nsrun h1 ping -q -c2 -W2 fd02::2
ok "h2's network -> r passes" nsrun h2 ping -q -c2 -W2 -I 10.99.0.5 10.1.0.1
nok "h1 forging h2's network (IPv4) is dropped" \
	nsrun h1 ping -q -c2 -W1 -I 10.99.0.5 10.2.0.2
nok "h1 forging h2's network (IPv6) is dropped" \
	nsrun h1 ping -q -c2 -W1 -I fd99::5 fd02::2
eq "spoofed counter: the 4 forged requests" \
	"$(fib_pkts r inet antispoof prerouting spoofed)" 4
nsrun r nft delete table inet antispoof

# ip family, the other way round: count what does have a route back
nsrun r nft -f - <<'EOF2'
table ip t {
	chain pre {
		type filter hook prerouting priority 0; policy accept;
		icmp type echo-request fib saddr . iif oif exists counter comment "exists"
		icmp type echo-request fib saddr . iif oif missing counter comment "missing"
	}
}
EOF2
ping1 h1 10.1.0.1
ping1 h1 10.1.0.1
ping1 h1 -I 10.99.0.5 10.1.0.1
eq "exists: legitimate echo requests" "$(fib_pkts r ip t pre exists)" 2
eq "missing: spoofed echo requests" "$(fib_pkts r ip t pre missing)" 1
nsrun r nft delete table ip t

# loose, with the mark: mark 7 makes h1's side the way to 10.99/16
sed 's/"uplink2"/"r1"/' "$EX/loose-mark.nft" > /tmp/loose.nft
ok "load examples/loose-mark.nft (uplink2 = r1)" nsrun r nft -f /tmp/loose.nft
# (the answers go to h2, which also holds 10.99.0.5: count requests in r)
ping1 h1 -I 10.99.0.5 10.1.0.1
eq "h1 sending from 10.99.0.5 passes with mark 7 (table 7 routes it via r1)" \
	"$(fib_pkts r inet loosemark prerouting no-route-back)" 0
ip -n r route del 10.99.0.0/16 via 10.2.0.2
ping1 h1 -I 10.99.0.5 10.1.0.1
eq "still passes with 10.99/16 only in table 7" \
	"$(fib_pkts r inet loosemark prerouting no-route-back)" 0
ip -n r rule del fwmark 7 table 7
ping1 h1 -I 10.99.0.5 10.1.0.1
eq "dropped once the fwmark rule is gone (no route back at all)" \
	"$(fib_pkts r inet loosemark prerouting no-route-back)" 1
ip -n r route add 10.99.0.0/16 via 10.2.0.2
ping1 h1 -I 10.99.0.5 10.1.0.1
eq "loose: passes again with a route back through the other uplink" \
	"$(fib_pkts r inet loosemark prerouting no-route-back)" 1
ip -n r rule add fwmark 7 table 7
nsrun r nft delete table inet loosemark

# strong host: r's address on r2 is not reachable through r1
ok "load examples/strong-host.nft" nsrun r nft -f "$EX/strong-host.nft"
ok "h1 -> r's address on r1 passes" nsrun h1 ping -q -c1 -W2 10.1.0.1
nok "h1 -> r's address on r2 is dropped (IPv4)" nsrun h1 ping -q -c1 -W1 10.2.0.1
ok "h1 -> r's IPv6 address on r1 passes" nsrun h1 ping -q -c1 -W2 fd01::1
nok "h1 -> r's IPv6 address on r2 is dropped" nsrun h1 ping -q -c1 -W1 fd02::1
ok "r -> itself over lo passes" nsrun r ping -q -c1 -W2 10.2.0.1
eq "wrong-interface counter" "$(fib_pkts r inet stronghost input wrong-interface)" 2
finish
