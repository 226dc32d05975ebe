#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Benchmark (guest): per-packet cost of `-m rpfilter`, nfext's xt_rpfilter
# against the in-tree ipt_rpfilter/ip6t_rpfilter, in the same boot.
# A pktgen flood over a veth into namespace "r" meets, in raw PREROUTING,
# K chained `-m rpfilter` rules (strict mode, every packet passes) and a
# DROP rule that counts it. With K large the matches dominate the cost of
# a packet, so T / packets / K is the cost of one match (plus 1/K of the
# rest). Each round measures both modules back to back (alternating which
# goes first) and the ratio of that round is taken: the guest shares a
# busy host, so only neighbouring runs compare well. Medians over rounds.
set -u
REPO=$(cd "$(dirname "$0")/../.." && pwd)
KO=$REPO/kernel/xt_rpfilter/xt_rpfilter.ko
# RPF_BENCH_OLD_KO=FILE: a third module in the same rounds (another build
# of xt_rpfilter, e.g. from an older commit), with its own ratio column
OLD_KO=${RPF_BENCH_OLD_KO:-}
ROUNDS=${RPF_BENCH_ROUNDS:-5}
T=${RPF_BENCH_SECONDS:-2}
K=${RPF_BENCH_RULES:-100}
PG=/proc/net/pktgen

say() { echo "# [${SECONDS}s] $*" >&2; }
[ -f "$KO" ] || { say "xt_rpfilter.ko not built"; exit 1; }
modprobe pktgen 2>/dev/null && [ -d $PG ] || { say "no pktgen"; exit 77; }
modprobe x_tables

r() { ip netns exec r "$@"; }

ip netns add r
ip link add pg0 type veth peer name rin netns r
ip link set pg0 up
r ip link set lo up
r ip link set rin up
r ip addr add 10.0.0.1/24 dev rin
r ip -6 addr add fd00::1/64 dev rin nodad
r sysctl -qw net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.rin.rp_filter=0
ip addr add 10.0.0.2/24 dev pg0
ip -6 addr add fd00::2/64 dev pg0 nodad
RIN_MAC=$(r cat /sys/class/net/rin/address)

# 10 routes: ten prefixes besides the connected one.
for i in $(seq 1 10); do
	r ip route add 11.0.$i.0/24 via 10.0.0.2
	r ip -6 route add fd11:$i::/64 via fd00::2
done

# big: 100k more routes each, and a 16-way ECMP route back whose nexthop
# on rin comes last (15 dummy links first).
big_routes() {
	local i nh4="" nh6=""
	for i in $(seq 0 14); do
		r ip link add d$i type dummy
		r ip link set d$i up
		r ip addr add 172.16.$i.1/24 dev d$i
		r ip -6 addr add fd16:$i::1/64 dev d$i nodad
		nh4="$nh4 nexthop via 172.16.$i.2 dev d$i"
		nh6="$nh6 nexthop via fd16:$i::2 dev d$i"
	done
	# shellcheck disable=SC2086
	r ip route add 10.200.0.0/16 $nh4 nexthop via 10.0.0.2 dev rin
	# shellcheck disable=SC2086
	r ip -6 route add fd20::/32 $nh6 nexthop via fd00::2 dev rin
	awk 'BEGIN { for (i = 0; i < 100000; i++)
		printf "route add %d.%d.%d.0/24 via 10.0.0.2\n", 12 + int(i / 65536), int(i / 256) % 256, i % 256 }' |
		r ip -batch -
	awk 'BEGIN { for (i = 0; i < 100000; i++)
		printf "route add fd12:%x:%x::/48 via fd00::2\n", int(i / 256), i % 256 }' |
		r ip -6 -batch -
}

pg() { echo "$2" > "$PG/$1" || say "pktgen: '$2' refused by $1"; }

# flood FAMILY SRC: configure pktgen for one family and source.
flood_cfg() {
	pg kpktgend_0 "rem_device_all"
	pg kpktgend_0 "add_device pg0"
	pg pg0 "count 0"
	pg pg0 "clone_skb 0"
	pg pg0 "pkt_size 64"
	pg pg0 "delay 0"
	pg pg0 "dst_mac $RIN_MAC"
	if [ "$1" = 6 ]; then
		pg pg0 "dst6 fd00::1"
		pg pg0 "src6 $2"
	else
		pg pg0 "dst 10.0.0.1"
		pg pg0 "src_min $2"
		pg pg0 "src_max $2"
	fi
}

# ruleset FAMILY NRULES: raw PREROUTING with NRULES rpfilter rules + DROP.
ruleset() {
	local ipt=iptables-legacy i
	[ "$1" = 6 ] && ipt=ip6tables-legacy
	{
		echo "*raw"
		for i in $(seq 1 "$2"); do echo "-A PREROUTING -m rpfilter"; done
		echo "-A PREROUTING -j DROP"
		echo COMMIT
	} | r "$ipt-restore"
}

# measure FAMILY: packets/second that reach the DROP rule during T seconds
# (and check that every one of them passed the first rpfilter rule).
measure() {
	local ipt=iptables-legacy n m rate
	[ "$1" = 6 ] && ipt=ip6tables-legacy
	r "$ipt" -t raw -Z
	echo start > $PG/pgctrl &
	sleep "$T"
	echo stop > $PG/pgctrl
	wait
	n=$(r "$ipt" -t raw -L PREROUTING -v -x -n | awk '$3 == "DROP" { print $1 }')
	rate=$((n / T))
	# once the backlog has drained, every packet counted by DROP must have
	# passed the first rpfilter rule
	sleep 1
	read -r m n <<<"$(r "$ipt" -t raw -L PREROUTING -v -x -n |
		awk '$1 ~ /^[0-9]+$/ { if (!f) f = $1; l = $1 } END { print f, l }')"
	if [ "$2" -gt 0 ] && [ "$m" -lt "$n" ]; then
		say "IPv$1 $3: only $m of $n packets passed rpfilter"
		: > /tmp/rpf-bench-failed
	fi
	echo "$rate"
}

use() {
	iptables-legacy -t raw -F 2>/dev/null
	ip6tables-legacy -t raw -F 2>/dev/null
	r iptables-legacy -t raw -F 2>/dev/null
	r ip6tables-legacy -t raw -F 2>/dev/null
	if [ "$1" = nfext ] || [ "$1" = old ]; then
		rmmod ipt_rpfilter ip6t_rpfilter 2>/dev/null
		[ -n "$OLD_KO" ] && rmmod xt_rpfilter 2>/dev/null
		if [ "$1" = old ]; then insmod "$OLD_KO"; else
			[ -d /sys/module/xt_rpfilter ] || insmod "$KO"; fi
	else
		rmmod xt_rpfilter 2>/dev/null
		modprobe ipt_rpfilter && modprobe ip6t_rpfilter
	fi
}

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }


rm -f /tmp/rpf-bench-failed
ROWS=()
# ns per match: T seconds / packets / K
nsper() { awk -v r="$1" -v k=$K 'BEGIN { if (r <= 0) print "nan"; else printf "%.0f", 1e9 / r / k }'; }
run_case() {
	local name=$1 fam=$2 src=$3 i who rate base rn ri
	local -a cn=() ci=() ratio=() ratio_old=()
	local ro
	flood_cfg "$fam" "$src"
	use nfext
	ruleset "$fam" 0
	base=$(measure "$fam" 0 base)
	for i in $(seq 1 "$ROUNDS"); do
		if [ $((i % 2)) = 1 ]; then set -- nfext in-tree; else set -- in-tree nfext; fi
		[ -n "$OLD_KO" ] && set -- "$1" "$2" old
		for who in "$@"; do
			use "$who"
			ruleset "$fam" $K
			rate=$(measure "$fam" $K "$who")
			case $who in nfext) rn=$rate ;; old) ro=$rate ;; *) ri=$rate ;; esac
			say "$name IPv$fam round $i $who: $rate pkt/s"
		done
		cn+=("$(nsper "$rn")")
		ci+=("$(nsper "$ri")")
		# cost ratio nfext / in-tree = rate in-tree / rate nfext
		ratio+=("$(awk -v n="$rn" -v i="$ri" 'BEGIN { if (n > 0) printf "%.3f", i / n; else print 99 }')")
		[ -n "$OLD_KO" ] && ratio_old+=("$(awk -v n="$ro" -v i="$ri" 'BEGIN { if (n > 0) printf "%.3f", i / n; else print 99 }')")
	done
	ROWS+=("| $name | IPv$fam | $((base / 1000)) | $(printf '%s\n' "${ci[@]}" | median) | $(printf '%s\n' "${cn[@]}" | median) | $(printf '%s\n' "${ratio[@]}" | median | awk '{ printf "%.2fx", $1 }') |${OLD_KO:+ $(printf '%s\n' "${ratio_old[@]}" | median | awk '{ printf "%.2fx", $1 }') |}")
}

say "10 routes"
run_case "10 routes" 4 10.0.0.2
run_case "10 routes" 6 fd00::2
say "adding 2 x 100k routes and the 16-way ECMP routes"
big_routes
run_case "100k routes + 16-way ECMP" 4 10.200.0.2
run_case "100k routes + 16-way ECMP" 6 fd20::2

use none >/dev/null 2>&1
rmmod ipt_rpfilter ip6t_rpfilter xt_rpfilter 2>/dev/null
ip link del pg0 2>/dev/null
ip netns del r

echo "### rpfilter: per-packet cost of \`-m rpfilter\`, nfext vs in-tree"
echo "Nanoseconds per match (strict mode, every packet passing): pktgen flood over veth in the guest into $K chained \`-m rpfilter\` rules in raw PREROUTING, ${T}s per run, median of $ROUNDS rounds alternating which module goes first; ratio = median over rounds of nfext/in-tree cost in the same round (lower is better)."
echo
echo "| case | family | flood without rules (kpkt/s) | in-tree ns/match | nfext ns/match | ratio |${OLD_KO:+ ratio of $OLD_KO |}"
echo "|---|---|---|---|---|---|${OLD_KO:+---|}"
printf '%s\n' "${ROWS[@]}"
[ -e /tmp/rpf-bench-failed ] && echo "(in some runs not every packet passed the rpfilter check: see the log)"
exit 0
