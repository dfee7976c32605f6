#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
#
# synsend.py FILE: send one connection-opening packet per line of FILE
# ("tcp|udp SADDR SPORT DADDR DPORT", IPv4), in order, from spoofed
# sources, through a raw socket. TCP gets a SYN, UDP one datagram.
import os
import socket
import struct
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "../../../tools"))
from inetsum import csum  # noqa: E402


def packet(proto, sa, sp, da, dp, seq):
    src, dst = socket.inet_aton(sa), socket.inet_aton(da)
    if proto == "tcp":
        num = socket.IPPROTO_TCP
        l4 = struct.pack("!HHIIBBHHH", sp, dp, seq, 0, 5 << 4, 0x02, 65535, 0, 0)
        ck = csum(src + dst + struct.pack("!BBH", 0, num, len(l4)) + l4)
        l4 = l4[:16] + struct.pack("!H", ck) + l4[18:]
    else:
        num = socket.IPPROTO_UDP
        l4 = struct.pack("!HHHH", sp, dp, 12, 0) + b"ipvs"
        ck = csum(src + dst + struct.pack("!BBH", 0, num, len(l4)) + l4) or 0xFFFF
        l4 = l4[:6] + struct.pack("!H", ck) + l4[8:]
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(l4), seq & 0xFFFF, 0, 64,
                     num, 0, src, dst)
    return ip + l4


def main():
    s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
    with open(sys.argv[1]) as f:
        for i, line in enumerate(f):
            proto, sa, sp, da, dp = line.split()
            s.sendto(packet(proto, sa, int(sp), da, int(dp), 1000 + i), (da, 0))


main()
