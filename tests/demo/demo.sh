#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `make run`: the nfext demo, in the guest. Loads nfext's modules, builds the
# default topology, applies examples/firewall.sh on the router, sends
# legitimate and spoofed traffic and prints what each rule did.
#
#        ispa (198.51.100.2, "internet" 203.0.113.0/24 routed to it) 
#          | wana 198.51.100.1/24, 2001:db8:a::1/64
#        router --- lan0 192.0.2.1/24, 2001:db8:1::1/64 --- lan (192.0.2.10)
#          | wanb 100.64.0.1/24, 2001:db8:b::1/64
#        ispb (100.64.0.2, a backup default route, metric 200)
# ispa and ispb are linked ("the internet"): ispb's internet host
# 203.0.113.99 may reach the LAN through wanb and be answered through wana.
set -u
cd "$(dirname "$0")/../.." || exit 1
NFEXT_REPO=$PWD
. tests/lib/common.sh
. tests/lib/modules.sh
export PATH=$NFEXT_REPO/build/bin:$PATH
trap nfext_cleanup EXIT

echo "== loading nfext's modules"
for d in tests/*/; do
	block_area_modules "$d"
	load_area_modules "$d" >/dev/null 2>&1 || true
done
for m in /sys/module/*/taint; do
	grep -q O "$m" && echo "   $(basename "$(dirname "$m")") (nfext)"
done

echo "== building the topology: router, lan, ispa, ispb"
netns router lan ispa ispb
veth router lan0 lan eth0
veth router wana ispa eth0
veth router wanb ispb eth0
nsrun router sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1 \
	net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0
for ns in router lan ispa ispb; do
	nsrun $ns sysctl -qw net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0
done
nsrun router ip addr add 192.0.2.1/24 dev lan0
nsrun router ip addr add 2001:db8:1::1/64 dev lan0 nodad
nsrun router ip addr add 198.51.100.1/24 dev wana
nsrun router ip addr add 2001:db8:a::1/64 dev wana nodad
nsrun router ip addr add 100.64.0.1/24 dev wanb
nsrun router ip addr add 2001:db8:b::1/64 dev wanb nodad
nsrun router ip route add default via 198.51.100.2
nsrun router ip -6 route add default via 2001:db8:a::2
nsrun router ip route add default via 100.64.0.2 metric 200
nsrun router ip -6 route add default via 2001:db8:b::2 metric 200
nsrun lan ip addr add 192.0.2.10/24 dev eth0
nsrun lan ip addr add 2001:db8:1::10/64 dev eth0 nodad
nsrun lan ip route add default via 192.0.2.1
nsrun lan ip -6 route add default via 2001:db8:1::1
nsrun ispa ip addr add 198.51.100.2/24 dev eth0
nsrun ispa ip addr add 2001:db8:a::2/64 dev eth0 nodad
nsrun ispa ip addr add 203.0.113.7/32 dev lo
nsrun ispa ip route add 192.0.2.0/24 via 198.51.100.1
nsrun ispa ip -6 route add 2001:db8:1::/64 via 2001:db8:a::1
nsrun ispb ip addr add 100.64.0.2/24 dev eth0
nsrun ispb ip addr add 2001:db8:b::2/64 dev eth0 nodad
nsrun ispb ip route add default via 100.64.0.1
veth ispa inet ispb inet
nsrun ispa ip addr add 172.31.0.1/30 dev inet
nsrun ispb ip addr add 172.31.0.2/30 dev inet
nsrun ispa ip route add 203.0.113.99/32 via 172.31.0.2
nsrun ispa sysctl -qw net.ipv4.ip_forward=1
nsrun ispb sysctl -qw net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.inet.rp_filter=0

echo "== applying examples/firewall.sh on the router"
nfq=
if command -v nfq-listener >/dev/null && is_ours xt_NFQUEUE; then
	nfq=1
	# A slow inspector: 50 ms a packet, 16 packets of queue.
	nsrun router nfq-listener -q 0 -l 16 -d 50 >/dev/null 2>&1 &
	nfqpid=$!
fi
nsrun router env LAN=lan0 WAN_A=wana WAN_B=wanb WITH_NFQUEUE=$nfq examples/firewall.sh ||
	echo "   (examples/firewall.sh reported an error)"

# send NAME EXPECT NS CMD...: run CMD in NS, report delivered or not.
rows=()
send() {
	local name=$1 expect=$2 ns=$3 got
	shift 3
	echo "   $name" >&2
	if nsrun "$ns" timeout 10 "$@" >/dev/null 2>&1; then got=delivered; else got=dropped; fi
	local mark=ok
	[ "$got" = "$expect" ] || mark=UNEXPECTED
	rows+=("$(printf '%-58s %-10s %-10s %s' "$name" "$expect" "$got" "$mark")")
}
echo "== sending traffic"
P4="ping -c 3 -i 0.2 -W 1"
P6="ping -6 -c 3 -i 0.2 -W 1"
# The spoofers really own the addresses they claim, so the packets leave.
nsrun ispa ip addr add 192.0.2.99/32 dev lo
nsrun ispa ip addr add 2001:db8:1::99/128 dev lo
nsrun ispb ip addr add 203.0.113.99/32 dev lo
nsrun ispb ip addr add 192.0.2.98/32 dev lo
send "lan -> internet 203.0.113.7 (ping, legitimate)" delivered lan $P4 203.0.113.7
send "lan -> internet 2001:db8:a::2 (ping6, legitimate)" delivered lan $P6 2001:db8:a::2
send "ispb -> router wanb 100.64.0.1 (ping, legitimate)" delivered ispb $P4 100.64.0.1
send "internet claiming a LAN source, via wana (spoofed)" dropped ispa $P4 -I 192.0.2.99 192.0.2.10
send "internet 203.0.113.99 via backup uplink wanb (feasible)" delivered ispb $P4 -I 203.0.113.99 192.0.2.10
send "ispb claiming a LAN source, via wanb (spoofed)" dropped ispb $P4 -I 192.0.2.98 192.0.2.10
send "ispa -> router's LAN address via wana (strong host)" dropped ispa $P4 192.0.2.1
send "ispa claiming LAN v6 source via wana (spoofed v6)" dropped ispa $P6 -I 2001:db8:1::99 2001:db8:1::10
if [ -n "$nfq" ]; then
	head -c 1048576 /dev/urandom > /tmp/nfext-demo.bin
	nsrun ispa socat -u TCP-LISTEN:5201,reuseaddr OPEN:/tmp/nfext-demo.out,creat,trunc &
	sleep 0.5
	send "lan -> ispa TCP 1 MiB via a full, slow queue (fail-open)" delivered lan \
		socat -u OPEN:/tmp/nfext-demo.bin TCP:198.51.100.2:5201
	sleep 0.5
	cmp -s /tmp/nfext-demo.bin /tmp/nfext-demo.out ||
		rows+=("$(printf '%-58s %-10s %-10s %s' "  ... file arrived intact" yes no UNEXPECTED)")
	kill "$nfqpid" 2>/dev/null
fi
ct=
if command -v ct-timeout >/dev/null; then
	# An SSH-like flow from the LAN, held open while conntrack is read.
	nsrun router timeout 12 socat -u TCP-LISTEN:22,reuseaddr - >/dev/null 2>&1 &
	srv=$!
	sleep 0.5
	(sleep 8 | nsrun lan timeout 10 socat - TCP:192.0.2.1:22 >/dev/null 2>&1) &
	cli=$!
	for _ in 1 2 3 4 5 6 7 8 9 10; do
		sleep 0.5
		ct=$(nsrun router conntrack -L -p tcp --dport 22 2>/dev/null |
			awk '/ESTABLISHED/ {print $3}' | head -n1)
		[ -n "$ct" ] && break
	done
	wait "$srv" "$cli"
fi
echo
printf '%-58s %-10s %-10s %s\n' "traffic" "expected" "got" ""
printf '%s\n' "${rows[@]}"

echo
printf '%-60s %8s  %s\n' "rule (router)" "packets" "verdict"
rule() { printf '%-60s %8s  %s\n' "$1" "${2:-0}" "$3"; }
for ipt in iptables ip6tables; do
	rule "$ipt -t raw ANTISPOOF: -m rpfilter -j RETURN" \
		"$(nsrun router $ipt -t raw -L ANTISPOOF 1 -v -x -n | awk '{print $1}')" "pass (strict)"
	rule "$ipt -t raw ANTISPOOF: -i wanX -m rpfilter --feasible" \
		"$(nsrun router $ipt -t raw -L ANTISPOOF -v -x -n | awk '/feasible/ { n += $1 } END { print n + 0 }')" "pass (feasible)"
	rule "$ipt -t raw ANTISPOOF: -j DROP (rpfilter failed)" \
		"$(nsrun router $ipt -t raw -L ANTISPOOF -v -x -n | awk '$3 == "DROP" { print $1 }')" "DROP"
done
NFEXT_NS=router
rule "nft input: fib daddr . iif type local" \
	"$(nsrun router nft list chain inet nfext_demo input | sed -n '/strong-host-ok/s/.*packets \([0-9]*\).*/\1/p')" "accept"
rule "nft input: fib daddr type local (wrong interface)" \
	"$(nsrun router nft list chain inet nfext_demo input | sed -n '/strong-host-drop/s/.*packets \([0-9]*\).*/\1/p')" "DROP"
if nsrun router iptables -t raw -S PREROUTING | grep -q -- '--timeout'; then
	rule "iptables -t raw: -p tcp --dport 22 -j CT --timeout ssh_short" \
		"$(nsrun router iptables -t raw -L PREROUTING -v -x -n | awk '/CT/ {print $1}')" \
		"policy attached (flow timeout now ${ct:-?} s, default 432000)"
fi
if [ -n "$nfq" ]; then
	rule "iptables FORWARD: -p tcp --dport 5201 -j NFQUEUE --fail-open" \
		"$(nsrun router iptables -L FORWARD 1 -v -x -n | awk '{print $1}')" \
		"queued; $(nsrun router awk '$1 == 0 {print $10}' /proc/net/netfilter/nfnetlink_queue) accepted by fail-open"
fi
echo
bad=$(printf '%s\n' "${rows[@]}" | grep -c UNEXPECTED)
if [ "$bad" -eq 0 ]; then
	echo "demo: every packet went where the firewall says it should."
else
	echo "demo: $bad traffic line(s) did not behave as expected."
fi
[ "$bad" -eq 0 ]
