#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# `iptables-translate` of each -m rpfilter option (the stock translation),
# loaded with nft next to the xt match itself (iptables-legacy, raw
# PREROUTING) on the same router: both count the same packets of the same
# traffic (legitimate, spoofed, routed back only by the mark's table, no
# route back at all), for IPv4 and IPv6. --accept-local has no translation.
source ../lib/common.sh
source ./lib.sh
fib_assert_ours
SYSXT=$(pkg-config --variable=xtlibdir xtables 2>/dev/null || echo /usr/lib/x86_64-linux-gnu/xtables)
# the xt side: nfext's xt_rpfilter when it is built, else the in-tree one
xt=$(find "$NFEXT_KO_ROOT/kernel" -name xt_rpfilter.ko | head -n1)
if [ -n "$xt" ]; then
	load_ko() { local d; for d in $(modinfo -F depends "$1" | tr ',' ' '); do modprobe "$d"; done; insmod "$1"; }
	load_ko "$xt" || die "cannot load $xt"
	log "xt side: nfext's xt_rpfilter"
else
	modprobe ipt_rpfilter && modprobe ip6t_rpfilter || skip "no rpfilter match module"
	log "xt side: in-tree ipt_rpfilter/ip6t_rpfilter"
fi
fib_topo
ip -n h1 addr add 10.77.0.9/32 dev lo
ip -n h1 addr add fd77::9/128 dev lo nodad

# mark 7 on what comes in through r1, before the raw priority
nsrun r nft -f - <<'EOF2' || die "cannot load the mark chain"
table inet marking {
	chain pre {
		type filter hook prerouting priority -350; policy accept;
		iifname "r1" meta mark set 7
	}
}
EOF2

traffic() {
	if [ "$1" = 4 ]; then
		ping1 h1 10.1.0.1
		ping1 h1 -I 10.99.0.5 10.1.0.1
		ping1 h1 -I 10.77.0.9 10.1.0.1
		ping1 h2 -I 10.99.0.5 10.2.0.1
		ping1 h2 10.1.0.1
	else
		ping1 h1 fd01::1
		ping1 h1 -I fd99::5 fd01::1
		ping1 h1 -I fd77::9 fd01::1
		ping1 h2 -I fd99::5 fd02::1
		ping1 h2 fd01::1
	fi
}

for v in 4 6; do
	if [ $v = 4 ]; then ipt=iptables-legacy; xl=iptables-translate; fam=ip; proto="icmp --icmp-type echo-request"
	else ipt=ip6tables-legacy; xl=ip6tables-translate; fam=ip6; proto="ipv6-icmp --icmpv6-type echo-request"; fi
	for opts in "" "--loose" "--validmark" "--invert" "--loose --validmark" "--validmark --invert"; do
		# shellcheck disable=SC2086
		tr=$(XTABLES_LIBDIR=$SYSXT $xl -t raw -A PREROUTING -p $proto -m rpfilter $opts)
		rule=$(echo "$tr" | sed -n "s/^nft '\(add rule .*\)'$/\1/p")
		if [ -z "$rule" ]; then
			fail "IPv$v -m rpfilter $opts: no translation: $tr"
			continue
		fi
		nsrun r $ipt -t raw -F PREROUTING
		nsrun r nft delete table $fam raw 2>/dev/null
		# shellcheck disable=SC2086
		nsrun r env XTABLES_LIBDIR=$SYSXT $ipt -t raw -A PREROUTING -p $proto -m rpfilter $opts ||
			{ fail "$ipt -m rpfilter $opts refused"; continue; }
		nsrun r nft add table $fam raw
		nsrun r nft add chain $fam raw PREROUTING '{ type filter hook prerouting priority -300; }'
		nsrun r nft "$rule" || { fail "nft refused the translation: $rule"; continue; }
		traffic $v
		xtn=$(nsrun r $ipt -t raw -L PREROUTING 1 -v -x -n | awk 'NR == 1 { print $1 }')
		nftn=$(nsrun r nft list chain $fam raw PREROUTING | sed -n 's/.*fib.*packets \([0-9]*\).*/\1/p')
		eq "IPv$v -m rpfilter ${opts:-(strict)} == $rule" "$nftn" "$xtn"
	done
	nsrun r $ipt -t raw -F PREROUTING
	nsrun r nft delete table $fam raw 2>/dev/null
done
finish
