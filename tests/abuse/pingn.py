#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
#
# pingn.py DEST COUNT SIZE INTERVAL TIMEOUT: send exactly COUNT ICMP echo
# requests of SIZE payload bytes, one every INTERVAL seconds, then wait up
# to TIMEOUT seconds in all for every reply. Prints one line:
#   "sent N received M duplicates D"
# Exit status 0 when every request got exactly one reply, else 1.
# (ping -c N -w T sends more than N requests while replies are late, and
# without -w it gives up on replies slower than twice the slowest so far;
# a packet held in a queue needs neither.)
import os
import select
import socket
import struct
import sys
import time


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    s = (s >> 16) + (s & 0xFFFF)
    s += s >> 16
    return ~s & 0xFFFF


def main():
    if len(sys.argv) != 6:
        sys.exit("usage: pingn.py DEST COUNT SIZE INTERVAL TIMEOUT")
    dest, count, size = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    interval, timeout = float(sys.argv[4]), float(sys.argv[5])
    ident = os.getpid() & 0xFFFF
    sock = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
    payload = bytes(i & 0xFF for i in range(size))
    seen = {}
    deadline = time.monotonic() + timeout

    def receive(wait):
        ready, _, _ = select.select([sock], [], [], max(wait, 0))
        if not ready:
            return
        pkt, _ = sock.recvfrom(65535)
        ihl = (pkt[0] & 0x0F) * 4
        typ, _, _, rid, seq = struct.unpack("!BBHHH", pkt[ihl:ihl + 8])
        if typ == 0 and rid == ident and seq < count:
            seen[seq] = seen.get(seq, 0) + 1

    for seq in range(count):
        hdr = struct.pack("!BBHHH", 8, 0, 0, ident, seq)
        hdr = struct.pack("!BBHHH", 8, 0, csum(hdr + payload), ident, seq)
        sock.sendto(hdr + payload, (dest, 0))
        next_send = time.monotonic() + interval
        while time.monotonic() < next_send:
            receive(next_send - time.monotonic())
    while len(seen) < count and time.monotonic() < deadline:
        receive(min(1.0, deadline - time.monotonic()))
    # a duplicate would come right after the first reply: listen a moment
    end = time.monotonic() + 0.5
    while time.monotonic() < end:
        receive(end - time.monotonic())
    dups = sum(n - 1 for n in seen.values())
    print("sent %d received %d duplicates %d" % (count, len(seen), dups))
    sys.exit(0 if len(seen) == count and dups == 0 else 1)


if __name__ == "__main__":
    main()
