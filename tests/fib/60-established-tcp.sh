#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# `fib saddr . iif oif` in input for an established TCP connection (where
# nfext answers from the socket's cached routes instead of a FIB lookup):
# while the route back leaves through the input device every segment
# passes; once the route back to the client changes to the other side,
# the very next segments of the same connection are judged missing.
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
# the client sends one line every 0.2 s until told to stop
nsrun h1 python3 -c '
import os, socket, sys, time
s = socket.create_connection((sys.argv[1], 5555))
s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
while not os.path.exists("/tmp/fib-stop"):
    s.send(b"x" * 100)
    time.sleep(0.2)
' 10.1.0.1 &
cli=$!
# wait_pkts COMMENT MIN: until the rule's counter reaches MIN (60 s at most)
wait_pkts() {
	local i
	for i in $(seq 120); do
		[ "$(fib_pkts r inet t in "$1")" -ge "$2" ] 2>/dev/null && return 0
		sleep 0.5
	done
	return 1
}
wait_pkts exists 5
e1=$(fib_pkts r inet t in exists)
m1=$(fib_pkts r inet t in missing)
ge "IPv4 established connection: segments pass" "$e1" 5
eq "IPv4 established connection: none missing" "$m1" 0
ip -n r route add 10.1.0.2/32 via 10.2.0.2
wait_pkts missing 3
m2=$(fib_pkts r inet t in missing)
e2=$(fib_pkts r inet t in exists)
ge "after the route change: segments of the same connection are missing" "$m2" 3
ok "after the route change: (almost) none pass any more" test "$((e2 - e1))" -le 1
touch /tmp/fib-stop
kill "$cli" "$srv" 2>/dev/null
wait 2>/dev/null
finish
