#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# IPv6 link-local sources and neighbour discovery pass strict rpfilter:
# - the case the known-defect report names: a neighbour solicitation
#   (72 bytes) from fec0:23::2 on a plain veth link with the route on that
#   link (14-rpath-ns.sh shows what that report really counted);
# - duplicate address detection from ::, a unicast NUD probe;
#   (hand-made, the exact packets, besides d's own while it pings r)
# - pings between link-local addresses; a link-local source is looked up
#   on the input link only, so without a fe80::/64 route there it fails
#   even with --loose (although link e has one).
. ../lib/common.sh
. ./lib.sh
netns r d e
veth r rd d eth0
veth r re e eth0	# another link, with its own fe80::/64 route
cnt() { at r "$ipt" -t raw -L PREROUTING "$1" -v -x -n 2>/dev/null | awk '{ print $1 }'; }
NS="-p ipv6-icmp --icmpv6-type neighbour-solicitation"
for v in $IPTABLES_VARIANTS; do
	ipt=ip6tables-$v
	ip -n r addr flush dev rd scope global
	ip -n d addr flush dev eth0 scope global
	ip -n d neigh flush dev eth0
	rpf_flush
	# shellcheck disable=SC2086
	{
	at r $ipt -t raw -A PREROUTING -i rd -s fec0:23::2 $NS -m length --length 72 -m rpfilter -j ACCEPT
	at r $ipt -t raw -A PREROUTING -i rd -s :: $NS -m rpfilter -j ACCEPT
	at r $ipt -t raw -A PREROUTING -i rd -p ipv6-icmp -m rpfilter -j ACCEPT
	at r $ipt -t raw -A PREROUTING -i rd -j DROP
	}
	ip -n r addr add fec0:23::1/64 dev rd nodad
	ip -n d addr add fec0:23::2/64 dev eth0
	# d's own duplicate address detection (an NS from ::) happens now
	for _ in 1 2 3 4 5 6; do
		ip -n d -6 addr show dev eth0 | grep -q tentative || break
		sleep 1
	done
	ok "$v: d pings fec0:23::1 (needs its NS to pass)" at d ping -6 -c 2 -i 0.3 -W 2 -q fec0:23::1
	ge "$v: 72-byte NS from fec0:23::2 passed" "$(cnt 1)" 1
	eq "$v: nothing dropped" "$(cnt 4)" 0
	# a hand-made NS from fec0:23::2 (the defect's exact packet) and a DAD one
	at r $ipt -t raw -Z PREROUTING 2>/dev/null
	at d python3 ./rawsend.py ns eth0 fec0:23::2 fec0:23::1
	at d python3 ./rawsend.py ns eth0 :: fec0:23::77
	eq "$v: hand-made 72-byte NS passed" "$(cnt 1)" 1
	eq "$v: hand-made DAD NS passed" "$(cnt 2)" 1
	eq "$v: nothing dropped" "$(cnt 4)" 0
	# NUD: a unicast probe to r's address and MAC
	at r $ipt -t raw -Z PREROUTING 2>/dev/null
	at d python3 ./rawsend.py ns eth0 fec0:23::2 fec0:23::1 "$(at r cat /sys/class/net/rd/address)"
	eq "$v: unicast NUD probe (72 bytes) passed" "$(cnt 1)" 1
	eq "$v: nothing dropped" "$(cnt 4)" 0
	# link-local to link-local
	ll=$(ip -n r -6 -br addr show dev rd | grep -o 'fe80::[0-9a-f:]*')
	at r $ipt -t raw -Z PREROUTING 2>/dev/null
	ok "$v: d pings r's link-local $ll" at d ping -6 -c 2 -i 0.3 -W 2 -q "$ll%eth0"
	ge "$v: link-local pings passed" "$(cnt 3)" 2
	eq "$v: nothing dropped" "$(cnt 4)" 0
	at r $ipt -t raw -R PREROUTING 3 -i rd -p ipv6-icmp -m rpfilter --loose -j ACCEPT
	ip -n r -6 route del fe80::/64 dev rd
	at r $ipt -t raw -Z PREROUTING 2>/dev/null
	nok "$v: without fe80::/64 on rd, d's link-local ping fails" at d ping -6 -c 2 -i 0.3 -W 1 -q "$ll%eth0"
	ge "$v: --loose: link-local source dropped (looked up on rd only)" "$(cnt 4)" 2
	ip -n r -6 route add fe80::/64 dev rd
done
rpf_assert_modules
finish
