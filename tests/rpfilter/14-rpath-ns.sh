#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The "72-byte neighbour solicitation counted as failing" in mainline's
# rpath.sh selftest, taken apart. Its topology: ns2 has fec0:23::1/64 on
# the veth v0 and fec0:42::1/64 on a dummy d0; ns1 has fec0:23::2 and
# fec0:42::2 on its v0. ns1 pinging fec0:42::1 (a martian for ns2: the way
# back to fec0:42::2 is d0) makes ns1's kernel send three NS from
# fec0:42::2, one second apart, long after the ping gave up. On a slow
# machine the third lands in the selftest's next phase, where nothing may
# fail, and the inverted rule counts it. It is correctly refused: here the
# three martian NS fail strict rpfilter, while the 72-byte NS from
# fec0:23::2 and the echo requests of a regular ping pass.
. ../lib/common.sh
. ./lib.sh
netns n1 n2
veth n1 v0 n2 v0
ip -n n2 link add d0 type dummy
ip -n n2 link set d0 up
ip -n n1 addr add fec0:23::2/64 dev v0 nodad
ip -n n2 addr add fec0:23::1/64 dev v0 nodad
ip -n n1 addr add fec0:42::2/64 dev v0 nodad
ip -n n2 addr add fec0:42::1/64 dev d0 nodad
NS="-p ipv6-icmp --icmpv6-type neighbour-solicitation -m length --length 72"
# cnt RULE: packets counted by raw PREROUTING rule RULE in n2.
cnt() { at n2 "$ipt" -t raw -L PREROUTING "$1" -v -x -n | awk '$1 ~ /^[0-9]+$/ { print $1; exit }'; }
for v in $IPTABLES_VARIANTS; do
	ipt=ip6tables-$v
	for t in legacy nft; do
		at n2 "ip6tables-$t" -t raw -F 2>/dev/null
	done
	ip -n n1 neigh flush dev v0
	ip -n n2 neigh flush dev v0
	# shellcheck disable=SC2086
	{
	at n2 $ipt -t raw -A PREROUTING -s fec0:42::2 $NS -m rpfilter
	at n2 $ipt -t raw -A PREROUTING -s fec0:42::2 $NS -m rpfilter --invert
	at n2 $ipt -t raw -A PREROUTING -s fec0:23::2 $NS -m rpfilter
	at n2 $ipt -t raw -A PREROUTING -s fec0:23::2 -m rpfilter --invert
	at n2 $ipt -t raw -A PREROUTING -s fec0:23::2 -p ipv6-icmp --icmpv6-type echo-request -m rpfilter
	}
	nok "$v: martian ping fec0:42::1 from n1 gets no answer" \
		at n1 ping -6 -q -c 1 -W 1 -I v0 fec0:42::1
	# n1 goes on soliciting for two more seconds
	for _ in $(seq 40); do
		[ "$(cnt 2)" -ge 3 ] && break
		sleep 0.1
	done
	eq "$v: the 3 NS from the martian fec0:42::2 failed rpfilter" "$(cnt 2)" 3
	eq "$v: none of them passed" "$(cnt 1)" 0
	ok "$v: regular ping fec0:23::1 from n1" at n1 ping -6 -q -c 2 -i 0.3 -W 2 fec0:23::1
	ge "$v: the 72-byte NS from fec0:23::2 passed" "$(cnt 3)" 1
	eq "$v: the echo requests passed" "$(cnt 5)" 2
	eq "$v: nothing from fec0:23::2 failed" "$(cnt 4)" 0
done
rpf_assert_modules
finish
