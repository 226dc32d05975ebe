#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Send hand-made frames on an interface (packets no socket would send).

  rawsend.py dhcp IFACE DST            DHCP discover from 0.0.0.0:68 to DST:67
  rawsend.py ns IFACE SRC TARGET [MAC] IPv6 neighbour solicitation for TARGET
                                       (SRC :: for duplicate address detection),
                                       to TARGET at MAC (a NUD probe) if given
"""
import socket
import struct
import sys


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def mac_of(iface):
    with open("/sys/class/net/%s/address" % iface) as f:
        return bytes.fromhex(f.read().strip().replace(":", ""))


def send(iface, dst_mac, ethertype, payload):
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    s.bind((iface, 0))
    s.send(dst_mac + mac_of(iface) + struct.pack("!H", ethertype) + payload)


def dhcp(iface, dst):
    bootp = struct.pack("!BBBBIHH4s4s4s4s16s64s128s", 1, 1, 6, 0, 0x4e666578,
                        0, 0x8000, b"\0" * 4, b"\0" * 4, b"\0" * 4, b"\0" * 4,
                        mac_of(iface), b"", b"")
    bootp += b"\x63\x82\x53\x63" + b"\x35\x01\x01" + b"\xff"
    udp = struct.pack("!HHHH", 68, 67, 8 + len(bootp), 0) + bootp
    src = socket.inet_aton("0.0.0.0")
    dsta = socket.inet_aton(dst)
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), 1, 0, 64, 17,
                     0, src, dsta)
    ip = ip[:10] + struct.pack("!H", csum(ip)) + ip[12:]
    send(iface, b"\xff" * 6, 0x0800, ip + udp)


def ns(iface, src, target, mac=None):
    t = socket.inet_pton(socket.AF_INET6, target)
    s = socket.inet_pton(socket.AF_INET6, src)
    d = bytes.fromhex("ff0200000000000000000001ff") + t[13:]
    if mac:
        d = t
    body = struct.pack("!BBHI", 135, 0, 0, 0) + t
    if src != "::":
        body += struct.pack("!BB", 1, 1) + mac_of(iface)
    pseudo = s + d + struct.pack("!I3xB", len(body), 58)
    body = body[:2] + struct.pack("!H", csum(pseudo + body)) + body[4:]
    ip6 = struct.pack("!IHBB", 6 << 28, len(body), 58, 255) + s + d
    dst_mac = bytes.fromhex(mac.replace(":", "")) if mac else b"\x33\x33" + d[12:]
    send(iface, dst_mac, 0x86dd, ip6 + body)


if __name__ == "__main__":
    if sys.argv[1] == "dhcp":
        dhcp(sys.argv[2], sys.argv[3])
    elif sys.argv[1] == "ns":
        ns(*sys.argv[2:6])
    else:
        sys.exit(__doc__)
