# SPDX-License-Identifier: GPL-2.0
# Helpers of the fib scenarios (sourced after ../lib/common.sh).

FIB_MODS="nft_fib nft_fib_ipv4 nft_fib_ipv6 nft_fib_inet nft_fib_netdev"

# Every scenario starts by proving that the fib modules are nfext's.
fib_assert_ours() {
	local m
	for m in $FIB_MODS; do
		[ -d /sys/module/$m ] || modprobe "$m" 2>/dev/null
	done
	assert_ours $FIB_MODS
}

# The router r between two hosts:
#   h1 (h1: 10.1.0.2, fd01::2) === r1 [r] r2 === (h2: 10.2.0.2, fd02::2) h2
# Behind h2 the network 10.99.0.0/16 / fd99::/64 (h2 holds .5 / ::5);
# h1 also holds 10.99.0.5 / fd99::5 to send spoofed packets. In r, mark 7
# selects table 7, where 10.99.0.0/16 and fd99::/64 are on h1's side.
# 10.66.0.0/16 / fd66::/64 are blackholed, 10.77/fd77 have no route.
fib_topo() {
	netns r h1 h2
	veth r r1 h1 h1
	veth r r2 h2 h2
	ip -n r addr add 10.1.0.1/24 dev r1
	ip -n r addr add 10.2.0.1/24 dev r2
	ip -n r addr add fd01::1/64 dev r1 nodad
	ip -n r addr add fd02::1/64 dev r2 nodad
	ip -n h1 addr add 10.1.0.2/24 dev h1
	ip -n h1 addr add fd01::2/64 dev h1 nodad
	ip -n h2 addr add 10.2.0.2/24 dev h2
	ip -n h2 addr add fd02::2/64 dev h2 nodad
	ip -n h1 route add default via 10.1.0.1
	ip -n h1 -6 route add default via fd01::1
	ip -n h2 route add default via 10.2.0.1
	ip -n h2 -6 route add default via fd02::1
	ip -n h2 addr add 10.99.0.5/16 dev lo
	ip -n h2 addr add fd99::5/64 dev lo nodad
	ip -n h1 addr add 10.99.0.5/32 dev lo
	ip -n h1 addr add fd99::5/128 dev lo nodad
	ip -n r route add 10.99.0.0/16 via 10.2.0.2
	ip -n r -6 route add fd99::/64 via fd02::2
	ip -n r route add blackhole 10.66.0.0/16
	ip -n r -6 route add blackhole fd66::/64
	ip -n r route add 10.99.0.0/16 via 10.1.0.2 table 7
	ip -n r -6 route add fd99::/64 via fd01::2 table 7
	ip -n r rule add fwmark 7 table 7
	ip -n r -6 rule add fwmark 7 table 7
	nsrun r sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1
	nsrun r sysctl -qw net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0
	nsrun r sysctl -qw net.ipv4.conf.r1.rp_filter=0 net.ipv4.conf.r2.rp_filter=0
}

# nft_elems NS FAMILY TABLE SET: the elements of SET, one per line.
nft_elems() {
	nsrun "$1" nft list set "$2" "$3" "$4" |
		sed -n '/elements = {/,/}/p' |
		sed 's/.*elements = {//; s/}.*//; s/,/\n/g' |
		sed 's/^[[:space:]]*//; s/[[:space:]]*$//; s/"//g' | grep -v '^$'
}

# ping1 NS [ping options] DEST: one echo request, the answer does not matter.
ping1() {
	local ns=$1; shift
	nsrun "$ns" ping -q -c1 -W0.5 "$@" >/dev/null 2>&1
	return 0
}

# fib_pkts NS FAMILY TABLE CHAIN COMMENT: packets of the rule with COMMENT.
fib_pkts() {
	nsrun "$1" nft list chain "$2" "$3" "$4" |
		sed -n "/comment \"$5\"/s/.*packets \([0-9]*\).*/\1/p" | head -n1
}
