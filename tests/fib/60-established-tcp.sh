#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# `fib saddr . iif oif` in input for an established TCP connection (where
# nfext answers from the socket's cached routes instead of a FIB lookup):
# while the route back leaves through the input device every segment
# passes; once the route back to the client changes to the other side,
# the very next segments of the same connection are judged missing.
# IPv4 (to a dual-stack socket: v4-mapped) and IPv6.
source ../lib/common.sh
source ./lib.sh
fib_assert_ours
fib_topo
nsrun r nft -f - <<'EOF2' || die "cannot load the input ruleset"
table inet t {
	chain in {
		type filter hook input priority 0; policy accept;
		tcp dport 5555 fib saddr . iif oif exists counter comment "exists"
		tcp dport 5555 fib saddr . iif oif missing counter comment "missing"
	}
}
EOF2
nsrun r python3 -c '
import socket
s = socket.socket(socket.AF_INET6)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("::", 5555)); s.listen(4)
while True:
    c, _ = s.accept()
    while c.recv(4096):
        pass
' &
srv=$!
sleep 1
# wait_pkts COMMENT MIN: until the rule's counter reaches MIN (60 s at most)
wait_pkts() {
	local i
	for i in $(seq 120); do
		[ "$(fib_pkts r inet t in "$1")" -ge "$2" ] 2>/dev/null && return 0
		sleep 0.5
	done
	return 1
}

# connection NAME SERVER-ADDR ROUTE...: one connection from h1, then the
# route back to h1 (ROUTE, added in r) moves to the other side
connection() {
	local name=$1 addr=$2 cli e0 m0 e1 m1 e2 m2
	shift 2
	e0=$(fib_pkts r inet t in exists)
	m0=$(fib_pkts r inet t in missing)
	rm -f /tmp/fib-stop /tmp/fib-pause
	# the client sends 100 bytes every 0.2 s (unless paused) until stopped
	nsrun h1 python3 -c '
import os, socket, sys, time
s = socket.create_connection((sys.argv[1], 5555))
s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
while not os.path.exists("/tmp/fib-stop"):
    if not os.path.exists("/tmp/fib-pause"):
        s.send(b"x" * 100)
    time.sleep(0.2)
' "$addr" &
	cli=$!
	wait_pkts exists $((e0 + 5))
	# pause the client (all it sent gets acked), move the route back to
	# the client to the other side, then let it send again
	touch /tmp/fib-pause
	sleep 2
	e1=$(fib_pkts r inet t in exists)
	m1=$(fib_pkts r inet t in missing)
	ge "$name established connection: segments pass" "$((e1 - e0))" 5
	eq "$name established connection: none missing" "$((m1 - m0))" 0
	ip -n r "$@"
	rm -f /tmp/fib-pause
	wait_pkts missing $((m1 + 3))
	m2=$(fib_pkts r inet t in missing)
	e2=$(fib_pkts r inet t in exists)
	ge "$name after the route change: segments of the same connection are missing" "$((m2 - m1))" 3
	eq "$name after the route change: no segment passes any more" "$((e2 - e1))" 0
	touch /tmp/fib-stop
	kill "$cli" 2>/dev/null
	wait "$cli" 2>/dev/null
	ip -n r "${@/add/del}"
}

connection IPv4 10.1.0.1 route add 10.1.0.2/32 via 10.2.0.2
connection IPv6 fd01::1 -6 route add fd01::2/128 via fd02::2
rm -f /tmp/fib-stop /tmp/fib-pause
kill "$srv" 2>/dev/null
wait 2>/dev/null
finish
