#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `make soak` (guest side): the demo's router and traffic mix through every
# rule form of examples/firewall.sh (rpfilter v4/v6, nft fib strong host, CT
# --timeout, NFQUEUE --fail-open with a listener) for NFEXT_SOAK_SECONDS
# (default 600), in rounds: legitimate pings v4/v6, spoofed pings on each
# uplink, pings to the router's LAN address from an uplink, a TCP transfer
# through the queue, short TCP flows to port 22. At the end every counter
# is the number of packets a user expects, and once the namespaces are
# gone the slab caches nfext's paths allocate from are back to their start
# (and, on a kernel with kmemleak, kmemleak finds nothing left behind).
set -u
cd "$(dirname "$0")/../.." || exit 1
NFEXT_REPO=$PWD
. tests/lib/common.sh
. tests/lib/modules.sh
export PATH=$NFEXT_REPO/build/bin:$PATH
SECS=${NFEXT_SOAK_SECONDS:-600}
TMP=$(mktemp -d /tmp/soak.XXXXXX)
PIDS=()
soak_cleanup() {
	local p
	for p in "${PIDS[@]}"; do kill -9 "$p" 2>/dev/null; done
	wait 2>/dev/null
	nfext_cleanup
	rm -rf "$TMP"
}
trap soak_cleanup EXIT

block_area_modules tests/abuse
load_area_modules tests/abuse || die "loading nfext's modules"
assert_ours xt_rpfilter nft_fib nft_fib_inet nfnetlink_queue xt_NFQUEUE xt_CT

CACHES="nf_conntrack skbuff_head_cache skbuff_fclone_cache kmalloc-192 kmalloc-256 kmalloc-512"
# slab CACHE: active objects and objects per slab of CACHE.
slab() { echo "$(slab_active "$1") $(awk -v c="$1" '$1 == c { print $5 }' /proc/slabinfo)"; }
declare -A START
# settle: let deferred frees happen. A packet received on each CPU makes
# it free the skbs other CPUs handed back to it (the per-CPU defer list).
settle() {
	local c
	sync
	echo 3 > /proc/sys/vm/drop_caches
	for c in $(seq 0 $(($(nproc) - 1))); do
		taskset -c "$c" ping -n -q -c 2 -i 0.05 127.0.0.1 > /dev/null 2>&1
	done
	sleep "$(tscale 2)"
}
# Warm-up: a first pass of the same soak (SOAK_WARMUP seconds, 60 scaled),
# whose slab figures are not compared: what a first pass leaves that a
# second does not add to (modules its rules load, caches filled once,
# per-CPU pools) is not a leak. The start values are taken after it; a
# leak grows again in the measured pass.
if [ -z "${SOAK_PASS:-}" ]; then
	SOAK_PASS=warm-up NFEXT_SOAK_SECONDS=${SOAK_WARMUP:-$(tscale 60)} "$NFEXT_REPO/tests/abuse/soak.sh" 2>&1 |
		sed 's/^/# warm-up: /'
	[ "${PIPESTATUS[0]}" -eq 0 ] || fail "the warm-up pass failed"
fi
settle
for c in $CACHES; do START[$c]=$(slab "$c"); done
slab_start_total=$(awk '/^Slab:/ { print $2 }' /proc/meminfo)
# On a kernel with kmemleak (the debug kernel): forget the reports of
# the boot and the warm-up; the measured pass must add none.
KMEMLEAK=/sys/kernel/debug/kmemleak
if [ -z "${SOAK_PASS:-}" ] && [ -w $KMEMLEAK ]; then
	echo scan > $KMEMLEAK
	echo clear > $KMEMLEAK
fi

netns router lan ispa ispb
veth router lan0 lan eth0
veth router wana ispa eth0
veth router wanb ispb eth0
for ns in router lan ispa ispb; do
	nsrun $ns sysctl -qw net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0
done
nsrun router sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1 \
	net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0
a() { local ns=$1; shift; nsrun "$ns" ip "$@" || die "ip -n $ns $*"; }
a router addr add 192.0.2.1/24 dev lan0
a router addr add 2001:db8:1::1/64 dev lan0 nodad
a router addr add 198.51.100.1/24 dev wana
a router addr add 2001:db8:a::1/64 dev wana nodad
a router addr add 100.64.0.1/24 dev wanb
a router route add default via 198.51.100.2
a router -6 route add default via 2001:db8:a::2
a lan addr add 192.0.2.10/24 dev eth0
a lan addr add 2001:db8:1::10/64 dev eth0 nodad
a lan route add default via 192.0.2.1
a lan -6 route add default via 2001:db8:1::1
a ispa addr add 198.51.100.2/24 dev eth0
a ispa addr add 2001:db8:a::2/64 dev eth0 nodad
a ispa addr add 203.0.113.7/32 dev lo
a ispa addr add 192.0.2.99/32 dev lo
a ispa addr add 2001:db8:1::99/128 dev lo
a ispa route add 192.0.2.0/24 via 198.51.100.1
a ispa -6 route add 2001:db8:1::/64 via 2001:db8:a::1
a ispb addr add 100.64.0.2/24 dev eth0
a ispb addr add 203.0.113.99/32 dev lo
a ispb route add default via 100.64.0.1

nsrun router nfq-listener -q 0 -l 16 -d 2 > "$TMP/listener.out" 2>&1 &
PIDS+=($!)
sleep "$(tscale 1)"
nsrun router env LAN=lan0 WAN_A=wana WAN_B=wanb WITH_NFQUEUE=1 examples/firewall.sh ||
	die "examples/firewall.sh"
nsrun ispa socat -u TCP-LISTEN:5201,reuseaddr,fork OPEN:/dev/null > /dev/null 2>&1 &
PIDS+=($!)
nsrun ispa socat -u TCP-LISTEN:22,reuseaddr,fork OPEN:/dev/null > /dev/null 2>&1 &
PIDS+=($!)
head -c 262144 /dev/urandom > "$TMP/blob"
sleep "$(tscale 1)"

# pingn NS ARGS...: echo replies of 5 pings
pingn() {
	local ns=$1; shift
	nsrun "$ns" ping -n -q -c 5 -i 0.05 -W 1 "$@" 2>/dev/null |
		sed -n 's/.* \([0-9]*\) received.*/\1/p'
}
legit=0 legit_ok=0 spoof4=0 spoof6=0 spoof_ok=0 strong=0 strong_ok=0 xfers=0 xfer_ok=0 ssh=0 rounds=0
t0=$(date +%s)
while [ $(( $(date +%s) - t0 )) -lt "$SECS" ]; do
	rounds=$((rounds + 1))
	legit=$((legit + 15))
	legit_ok=$((legit_ok + $(pingn lan 203.0.113.7) + $(pingn lan -6 2001:db8:a::2) + $(pingn ispb 100.64.0.1)))
	spoof4=$((spoof4 + 10))
	spoof6=$((spoof6 + 5))
	spoof_ok=$((spoof_ok + $(pingn ispa -I 192.0.2.99 192.0.2.10) + $(pingn ispb -I 203.0.113.99 192.0.2.10) + $(pingn ispa -6 -I 2001:db8:1::99 2001:db8:1::10)))
	strong=$((strong + 5))
	strong_ok=$((strong_ok + $(pingn ispa 192.0.2.1)))
	xfers=$((xfers + 1))
	nsrun lan timeout 30 socat -u "OPEN:$TMP/blob" TCP:198.51.100.2:5201 && xfer_ok=$((xfer_ok + 1))
	ssh=$((ssh + 1))
	echo hello | nsrun lan timeout 10 socat -u - TCP:198.51.100.2:22 2>/dev/null
done
secs=$(( $(date +%s) - t0 ))
log "$rounds rounds in ${secs}s"
eq "legitimate pings answered" "$legit_ok" "$legit"
eq "spoofed pings answered" "$spoof_ok" 0
eq "pings to the router's LAN address from an uplink answered" "$strong_ok" 0
eq "TCP transfers through the fail-open queue complete" "$xfer_ok" "$xfers"
# drops: packets of the DROP rule ending chain ANTISPOOF
drops() { nsrun router "$1" -t raw -L ANTISPOOF -v -x -n | awk '$3 == "DROP" { print $1 }'; }
eq "rpfilter DROP counted every spoofed IPv4 ping" "$(drops iptables)" "$spoof4"
eq "rpfilter DROP counted every spoofed IPv6 ping" "$(drops ip6tables)" "$spoof6"
eq "fib strong-host drop counted every ping to the LAN address" \
	"$(nsrun router nft list chain inet nfext_demo input | sed -n '/strong-host-drop/s/.*packets \([0-9]*\).*/\1/p')" "$strong"
ge "CT --timeout rule saw every port-22 flow" \
	"$(nsrun router iptables -t raw -L PREROUTING -v -x -n | awk '/CT/ && /dpt:22/ { print $1 }' | head -n1)" "$ssh"
ge "NFQUEUE rule saw the transfers" "$(nsrun router iptables -L FORWARD 1 -v -x -n | awk '{print $1}')" "$xfers"

for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done
wait 2>/dev/null
PIDS=()
sed 's/^/# listener: /' "$TMP/listener.out"
nsrun router ct-timeout del ssh_short 2>/dev/null
nfext_cleanup
NFEXT_NETNS=()
# netns teardown and conntrack's own cleanup are asynchronous
for i in $(seq 30); do
	settle
	c=$(slab nf_conntrack); c=${c% *}
	[ "${c:-0}" -le "${START[nf_conntrack]% *}" ] && break
done
ncpu=$(nproc)
[ -n "${SOAK_PASS:-}" ] && CACHES=
for c in $CACHES; do
	read -r s per <<< "${START[$c]}"
	read -r e _ <<< "$(slab "$c")"
	[ -n "$s" ] || continue
	# a slab per CPU; skbuff_head_cache also keeps up to 64 freed skbs per
	# CPU for reuse (the NAPI skb cache, net/core/skbuff.c), in use for
	# /proc/slabinfo
	slack=$((per * ncpu))
	[ "$c" = skbuff_head_cache ] && slack=$((slack + 64 * ncpu))
	if [ "$e" -le $((s + slack)) ]; then
		echo "ok: slab $c back to its start ($s -> $e active objects, slack $slack)"
	else
		fail "slab $c grew: $s -> $e active objects (slack $slack)"
	fi
done
if [ -z "${SOAK_PASS:-}" ] && [ -w $KMEMLEAK ]; then
	# kmemleak reports only objects older than 5 s, unreferenced twice
	sleep 6
	echo scan > $KMEMLEAK
	echo scan > $KMEMLEAK
	leaks=$(cat $KMEMLEAK)
	if [ -n "$leaks" ]; then
		echo "$leaks" | head -n 120
		fail "kmemleak: the soak left suspected leaks (above)"
	else
		echo "ok: kmemleak: no suspected leak after the soak"
	fi
fi
log "Slab total: ${slab_start_total} kB -> $(awk '/^Slab:/ { print $2 }' /proc/meminfo) kB"
echo "RESULT soak: ${secs}s, $rounds rounds, pings $legit legitimate + $((spoof4 + spoof6)) spoofed + $strong strong-host, $xfers TCP transfers of 256 KiB through NFQUEUE, $ssh CT flows"
finish
