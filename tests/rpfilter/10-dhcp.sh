#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A DHCP client without an address (0.0.0.0 -> 255.255.255.255:67) passes
# strict rpfilter and reaches a DHCP server socket on r; a packet from
# 0.0.0.0 to a unicast address has no route back and fails.
. ../lib/common.sh
. ./lib.sh
rpf_topology
ip -n c addr flush dev eth0
recv() {
	rm -f /tmp/dhcp.ready
	at r timeout 20 python3 -c '
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, b"rc")
s.bind(("", 67))
open("/tmp/dhcp.ready", "w").close()
s.settimeout(10)
data, peer = s.recvfrom(2048)
print(peer[0], data[:4].hex())' > /tmp/dhcp.out 2>&1 &
	for _ in $(seq 50); do [ -e /tmp/dhcp.ready ] && break; sleep 0.2; done
}
for v in $IPTABLES_VARIANTS; do
	rpf_flush
	ipt=iptables-$v
	at r $ipt -t raw -A PREROUTING -i rc -p udp --dport 67 -m rpfilter -j ACCEPT
	at r $ipt -t raw -A PREROUTING -i rc -p udp --dport 67 -j DROP
	recv
	at c python3 ./rawsend.py dhcp eth0 255.255.255.255
	wait
	eq "$v: DHCP discover passed rpfilter" "$(at r $ipt -t raw -L PREROUTING 1 -v -x -n 2>/dev/null | awk '{ print $1 }')" 1
	eq "$v: DHCP discover dropped" "$(at r $ipt -t raw -L PREROUTING 2 -v -x -n 2>/dev/null | awk '{ print $1 }')" 0
	contains "$v: the DHCP server socket on r got the discover from 0.0.0.0" "$(cat /tmp/dhcp.out)" "0.0.0.0 01010600"
	at r $ipt -t raw -Z PREROUTING 2>/dev/null
	at c python3 ./rawsend.py dhcp eth0 10.3.0.1
	eq "$v: 0.0.0.0 -> 10.3.0.1 (unicast) passed rpfilter" "$(at r $ipt -t raw -L PREROUTING 1 -v -x -n 2>/dev/null | awk '{ print $1 }')" 0
	eq "$v: 0.0.0.0 -> 10.3.0.1 (unicast) dropped" "$(at r $ipt -t raw -L PREROUTING 2 -v -x -n 2>/dev/null | awk '{ print $1 }')" 1
done
rpf_assert_modules
finish
