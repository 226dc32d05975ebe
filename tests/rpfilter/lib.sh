# SPDX-License-Identifier: GPL-2.0
#
# Helpers for the rpfilter scenarios (sourced after ../lib/common.sh).
#
# The default topology: a router namespace "r" with three links,
#   r:ra - a:eth0   10.1.0.0/24  fd01::/64
#   r:rb - b:eth0   10.2.0.0/24  fd02::/64
#   r:rc - c:eth0   10.3.0.0/24  fd03::/64
# r is .1/::1 on each link, the host .2/::2, hosts route everything via r.
#
# Every check installs in r's raw PREROUTING, for echo requests only:
#   1: -m rpfilter OPTS -j ACCEPT     (counts packets that pass)
#   2: -j DROP                        (counts packets that fail)
# and in r's mangle INPUT a counter of the echo requests delivered, then
# sends N pings and compares all three counters with what a user expects.

# at NS CMD...: run CMD in namespace NS.
at() { local ns=$1; shift; ip netns exec "$ns" "$@"; }

RPF_N=3
# rules a scenario inserted before the two rpfilter rules in raw PREROUTING
RPF_OFS=0

rpf_topology() {
	local i h mac
	netns r a b c
	at r sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1 \
		net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0
	i=1
	for h in a b c; do
		veth r "r$h" "$h" eth0
		at r sysctl -qw "net.ipv4.conf.r$h.rp_filter=0"
		ip -n r addr add "10.$i.0.1/24" dev "r$h"
		ip -n r addr add "fd0$i::1/64" dev "r$h" nodad
		ip -n "$h" addr add "10.$i.0.2/24" dev eth0
		ip -n "$h" addr add "fd0$i::2/64" dev eth0 nodad
		ip -n "$h" route add default via "10.$i.0.1"
		ip -n "$h" -6 route add default via "fd0$i::1"
		# Hosts know r's link address: they may send from any source.
		mac=$(cat "/sys/class/net/r$h/address" 2>/dev/null ||
			ip -n r -br link show "r$h" | awk '{ print $3 }')
		ip -n "$h" neigh replace "10.$i.0.1" lladdr "$mac" dev eth0 nud permanent
		ip -n "$h" neigh replace "fd0$i::1" lladdr "$mac" dev eth0 nud permanent
		i=$((i + 1))
	done
}

# rpf_iptables VARIANT FAMILY: the iptables command for this round.
rpf_ipt() {
	if [ "$2" = 6 ]; then echo "ip6tables-$1"; else echo "iptables-$1"; fi
}

# rpf_rules VARIANT FAMILY OPTS...: the rule set described above, in r
# (only for packets coming in on $RPF_IN when that is set), loaded with one
# iptables-restore (it replaces the raw and mangle tables).
rpf_rules() {
	local v=$1 f=$2 ipt icmp sel
	shift 2
	ipt=$(rpf_ipt "$v" "$f")
	if [ "$f" = 6 ]; then
		icmp="-p ipv6-icmp --icmpv6-type echo-request"
	else
		icmp="-p icmp --icmp-type echo-request"
	fi
	sel=$icmp
	[ -n "${RPF_IN:-}" ] && sel="-i $RPF_IN $icmp"
	if [ "${RPF_LAST:-}" != "$ipt" ]; then
		rpf_flush
		RPF_LAST=$ipt
	fi
	printf '*raw\n-A PREROUTING %s -m rpfilter %s -j ACCEPT\n-A PREROUTING %s -j DROP\nCOMMIT\n*mangle\n-A INPUT %s\nCOMMIT\n' \
		"$sel" "$*" "$sel" "$icmp" | at r "$ipt-restore" ||
		die "$ipt: cannot install the rpfilter rules (options: $*)"
	RPF_IPT=$ipt
}

rpf_flush() {
	local t
	for t in raw mangle; do
		at r iptables-legacy -t $t -F 2>/dev/null
		at r ip6tables-legacy -t $t -F 2>/dev/null
	done
	at r nft flush ruleset 2>/dev/null
	RPF_LAST=
	return 0
}

# rpf_counters: "passed dropped delivered" from one iptables-save -c.
rpf_counters() {
	at r "$RPF_IPT-save" -c 2>/dev/null | awk -v p=$((1 + RPF_OFS)) '
		/^\*/ { t = $1 }
		t == "*raw" && / -A PREROUTING / { n++; c[n] = $1 }
		t == "*mangle" && / -A INPUT / && !i { i = $1 }
		END {
			gsub(/[[]|:.*/, "", c[p]); gsub(/[[]|:.*/, "", c[p + 1]); gsub(/[[]|:.*/, "", i)
			print c[p] + 0, c[p + 1] + 0, i + 0
		}'
}

# rpf_ping HOST SRC DST: send RPF_N echo requests from HOST, source SRC.
rpf_ping() {
	local fam=-4
	case $3 in *:*) fam=-6 ;; esac
	at "$1" ping "$fam" -n -q -c "$RPF_N" -i 0.05 -W 0.5 -I "$2" "$3" >/dev/null 2>&1
}

# rpf_expect pass|fail WHAT HOST SRC DST: send pings and assert the verdict.
rpf_expect() {
	local want=$1 what=$2 host=$3 src=$4 dst=$5 p d i p0 d0 i0 replied=no
	read -r p0 d0 i0 <<<"$(rpf_counters)"
	rpf_ping "$host" "$src" "$dst" && replied=yes
	read -r p d i <<<"$(rpf_counters)"
	p=$((p - p0)) d=$((d - d0)) i=$((i - i0))
	if [ "$want" = pass ]; then
		eq "$what: passed rpfilter" "$p" "$RPF_N"
		eq "$what: dropped" "$d" 0
		eq "$what: delivered to r" "$i" "$RPF_N"
	else
		eq "$what: passed rpfilter" "$p" 0
		eq "$what: dropped" "$d" "$RPF_N"
		eq "$what: delivered to r" "$i" 0
		eq "$what: ping answered" "$replied" no
	fi
}

# spoof HOST ADDR: let HOST send from ADDR as well (an address of another
# network, as a spoofer or a multihomed peer would).
spoof() {
	case $2 in
	*:*) ip -n "$1" addr add "$2/128" dev eth0 nodad ;;
	*) ip -n "$1" addr add "$2/32" dev eth0 ;;
	esac
}

# Prove the match that ran was nfext's and the in-tree ones never loaded.
rpf_assert_modules() {
	assert_ours xt_rpfilter
	assert_absent ipt_rpfilter ip6t_rpfilter
}
