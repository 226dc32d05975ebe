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

# urpf_topology: rpf_topology plus the multihomed routes of the uRPF mode
# scenarios (15-, 16-); r's routes:
#   10.50.0.0/16  via a metric 10, via b metric 20   (a customer, two links)
#   10.60.0.0/16  via a                              (covered through a only)
#   default       via b metric 100, via c metric 200 (two uplinks)
# (fd50::/64, fd60::/64, ::/0 likewise); 10.70.0.5 is only covered by the
# default routes; mark 1 selects table 100: 10.50.0.0/16 via c, then b.
# Every host may send from 10.50/60/70.0.5 (fdNN::5), c from r's own
# 10.1.0.1 / fd01::1 too.
urpf_topology() {
	local m h s
	rpf_topology
	at r sysctl -qw net.ipv4.conf.all.accept_local=1 net.ipv4.conf.rc.accept_local=1
	for m in 10 20; do
		[ $m = 10 ] && h=1 || h=2
		ip -n r route add 10.50.0.0/16 via 10.$h.0.2 metric $m
		ip -n r -6 route add fd50::/64 via fd0$h::2 metric $m
	done
	ip -n r route add 10.60.0.0/16 via 10.1.0.2
	ip -n r -6 route add fd60::/64 via fd01::2
	ip -n r route add default via 10.2.0.2 metric 100
	ip -n r route add default via 10.3.0.2 metric 200
	ip -n r -6 route add default via fd02::2 metric 100
	ip -n r -6 route add default via fd03::2 metric 200
	ip -n r route add 10.50.0.0/16 via 10.3.0.2 metric 10 table 100
	ip -n r route add 10.50.0.0/16 via 10.2.0.2 metric 20 table 100
	ip -n r -6 route add fd50::/64 via fd03::2 metric 10 table 100
	ip -n r -6 route add fd50::/64 via fd02::2 metric 20 table 100
	ip -n r rule add fwmark 1 lookup 100
	ip -n r -6 rule add fwmark 1 lookup 100
	for h in a b c; do
		for s in 10.50.0.5 fd50::5 10.60.0.5 fd60::5 10.70.0.5 fd70::5; do spoof $h $s; done
	done
	spoof c 10.1.0.1
	spoof c fd01::1
}

# urpf_opts MODE: the rpfilter options of a mode name of the scenarios:
# strict, feasible or loose, "-nd" for --no-default, then options joined
# with "+": validmark, accept-local, invert (feasible-nd+accept-local).
urpf_opts() {
	local o opts=
	case $1 in
	feasible*) opts=--feasible ;;
	loose*) opts=--loose ;;
	esac
	case ${1%%+*} in *-nd) opts="$opts --no-default" ;; esac
	for o in $(echo "$1" | tr + ' ' | cut -d' ' -f2-); do
		[ "$o" = "${1%%+*}" ] || opts="$opts --$o"
	done
	echo $opts
}

# urpf_keys MODE: its nft fib keys and want (exists, missing with invert)
# and "local" when --accept-local: the translation iptables-translate gives.
urpf_keys() {
	local keys=saddr want=exists loc=
	case $1 in *+validmark*) keys=$keys.mark ;; esac
	case $1 in loose*) ;; *) keys=$keys.iif ;; esac
	case $1 in feasible*) keys=$keys.feasible ;; esac
	case ${1%%+*} in *-nd) keys=$keys.no-default ;; esac
	case $1 in *+invert*) want=missing ;; esac
	case $1 in *+accept-local*) loc=local ;; esac
	echo "$keys $want $loc"
}

# urpf_matrix FRONT FAMILY "MODE..." EXPECT: every MODE as one counting
# rule side by side in r's PREROUTING (FRONT legacy: iptables-legacy, nft:
# iptables-nft, nftfib: nft fib rules through tests/tools/nft-fib-rule,
# as stock nft cannot spell feasible/no-default), every packet marked 1
# when URPF_MARK is set; then for each line "HOST N V... - WHY" of EXPECT
# one echo request from HOST, source 10.N.0.5 (fdN::5, or N as is when it
# has a dot or colon), to r's address on HOST's link, and each MODE's
# counter must have moved as its V says (P: matched, F: not).
urpf_matrix() {
	local fe=$1 f=$2 modes=$3 expect=$4 m k=0 rules= ipt icmp nkeys
	local h n src why got want i v line
	rpf_flush
	if [ "$f" = 6 ]; then icmp="icmpv6 type echo-request"; else icmp="icmp type echo-request"; fi
	if [ "$fe" = nftfib ]; then
		[ -n "${RPF_NFT_TOOL:-}" ] || RPF_NFT_TOOL=$(. "$NFEXT_REPO/tests/tools/build.sh" &&
			tools_build nft-fib-rule) || die "cannot build nft-fib-rule"
		{
			echo "table inet urpf {"
			for m in $modes; do echo "counter m$k { packets 0 bytes 0 }"; k=$((k + 1)); done
			echo "chain pre { type filter hook prerouting priority -300;"
			[ -n "${URPF_MARK:-}" ] && echo "meta mark set 1;"
			echo "$icmp jump rpf; }"
			echo "chain rpf { }"
			k=0
			for m in $modes; do
				echo "chain k$k { }"
				echo "chain c$k { counter name \"m$k\"; }"
				k=$((k + 1))
			done
			echo "}"
		} | at r nft -f - || die "nft: cannot install the uRPF tables"
		k=0
		for m in $modes; do
			read -r nkeys want loc <<<"$(urpf_keys "$m")"
			at r nft add rule inet urpf rpf jump k$k
			# a local source passes: it matches, or with invert it does not
			if [ -n "$loc" ] && [ "$want" = exists ]; then
				at r nft add rule inet urpf k$k fib saddr type local goto c$k
			elif [ -n "$loc" ]; then
				at r nft add rule inet urpf k$k fib saddr type local return
			fi
			at r "$RPF_NFT_TOOL" inet urpf k$k "$nkeys" "$want" goto:c$k ||
				die "nft-fib-rule: cannot add fib $nkeys oif $want"
			k=$((k + 1))
		done
	else
		ipt=$(rpf_ipt "$fe" "$f")
		if [ "$f" = 6 ]; then icmp="-p ipv6-icmp --icmpv6-type echo-request"; else icmp="-p icmp --icmp-type echo-request"; fi
		rules="*raw"
		[ -n "${URPF_MARK:-}" ] && rules="$rules
-A PREROUTING -j MARK --set-mark 1"
		for m in $modes; do
			rules="$rules
-A PREROUTING $icmp -m rpfilter $(urpf_opts "$m")"
		done
		printf '%s\nCOMMIT\n' "$rules" | at r "$ipt-restore" ||
			die "$ipt: cannot install the uRPF rules"
	fi
	while read -r h n line; do
		[ -n "$h" ] || continue
		why=${line#*- }
		set -- ${line%% - *}
		case $n in
		*.*|*:*) src=$n ;;
		*) src=$(addr "$f" "$n") ;;
		esac
		[ "$f" = 6 ] && case $src in *.*) continue ;; esac
		[ "$f" = 4 ] && case $src in *:*) continue ;; esac
		before=$(urpf_counts "$fe" "$f")
		# the answer does not matter (it may go to another link)
		at "$h" ping -n -q -c 1 -W 0.1 -I "$src" "$(raddr "$f" "$h")" >/dev/null 2>&1
		got=$(urpf_counts "$fe" "$f")
		i=0
		for m in $modes; do
			i=$((i + 1))
			v=${!i}
			want=0
			[ "$v" = P ] && want=$RPF_N
			eq "$fe IPv$f $m: $h from $src ($why)" \
				"$(( $(echo "$got" | cut -d' ' -f$i) - $(echo "$before" | cut -d' ' -f$i) ))" "$want"
		done
	done <<<"$expect"
}

# urpf_counts FRONT FAMILY: the packet counters of the matrix's rules.
urpf_counts() {
	if [ "$1" = nftfib ]; then
		at r nft list counters table inet urpf |
			awk '/counter m/ { n = substr($2, 2) } /packets/ { c[n] = $2 }
				END { for (i = 0; i in c; i++) printf "%s ", c[i]; print "" }'
	else
		at r "$(rpf_ipt "$1" "$2")-save" -c -t raw |
			awk '/-m rpfilter/ { gsub(/[[]|:.*/, "", $1); printf "%s ", $1 } END { print "" }'
	fi
}

# addr FAMILY N: the spoofed source 10.N.0.5 or fdN::5
addr() { if [ "$1" = 4 ]; then echo "10.$2.0.5"; else echo "fd$2::5"; fi; }
# r's address on the link of HOST
raddr() {
	local i
	case $2 in a) i=1 ;; b) i=2 ;; c) i=3 ;; esac
	if [ "$1" = 4 ]; then echo "10.$i.0.1"; else echo "fd0$i::1"; fi
}
verdict() { [ "$1" = P ] && echo pass || echo fail; }


# urpf_modes FRONT...: the four uRPF modes (strict, feasible, loose, each
# with or without --no-default) side by side on urpf_topology's router,
# IPv4 and IPv6, through each FRONT (see urpf_matrix).
urpf_modes() {
	local fe f
	local modes="strict strict-nd feasible feasible-nd loose loose-nd"
	# sender, source (10.N.0.5 / fdN::5), the verdict of each mode
	local expect="a 50 P P P P P P - the customer on its best link
b 50 F F P P P P - the customer on its second link
c 50 F F F F P P - the customer's prefix from an uplink
c 60 F F F F P P - covered through a, arriving on uplink c
c 70 F F P F P F - only the defaults cover it: the best is via b
b 70 P F P F P F - only the defaults cover it: via b is the best"
	for fe in "$@"; do
		for f in 4 6; do
			urpf_matrix "$fe" $f "$modes" "$expect"
		done
	done
}

# urpf_finish: end a scenario that used rpfilter and nft fib.
urpf_finish() {
	rpf_flush
	rpf_assert_modules
	assert_ours nft_fib nft_fib_ipv4 nft_fib_ipv6 nft_fib_inet
	finish
}
