#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""ICMP errors about an IPVS connection, for the DR/TUN VM tests.

  icmperr.py related VIP PORT MTU
      Open a UDP flow to VIP:PORT (prints the name of the server that
      answered), then send VIP "fragmentation needed" (IPv4) / "packet too
      big" (IPv6) with MTU, quoting a reply VIP:PORT -> us of that flow, as
      a router between a real server and us would. The director must pass it
      on to the real server.
  icmperr.py tunnel VIP PORT DIRECTOR RS KIND MTU [TUNPORT]
      (IPv4) Open a UDP flow to VIP:PORT, then send DIRECTOR "fragmentation
      needed" with MTU quoting the director's tunnel packet DIRECTOR -> RS
      (KIND ipip, gue (to TUNPORT) or gre) that carried our datagram, as a
      router on the tunnel path would. Prints the name, then the path MTU
      our socket learns (IP_MTU) once the director relays the error to us,
      or "none" after 5 s.
"""
import socket
import struct
import sys
import time

from inetsum import csum


def ip4(src, dst, proto, payload):
    h = struct.pack('!BBHHHBBH4s4s', 0x45, 0, 20 + len(payload), 0, 0x4000, 64, proto, 0,
                    socket.inet_aton(src), socket.inet_aton(dst))
    return h[:10] + struct.pack('!H', csum(h)) + h[12:] + payload


def ip6(src, dst, proto, payload):
    return struct.pack('!IHBB16s16s', 6 << 28, len(payload), proto, 64,
                       socket.inet_pton(socket.AF_INET6, src),
                       socket.inet_pton(socket.AF_INET6, dst)) + payload


def udp(sport, dport, payload=b''):
    return struct.pack('!HHHH', sport, dport, 8 + len(payload), 0) + payload


def flow(vip, port):
    fam = socket.AF_INET6 if ':' in vip else socket.AF_INET
    s = socket.socket(fam, socket.SOCK_DGRAM)
    s.settimeout(3)
    s.connect((vip, port))
    s.send(b'hello')
    name = s.recv(100).split(b' ')[0].decode()
    print(name, flush=True)
    return s, s.getsockname()[0], s.getsockname()[1]


def send_icmp(dst, msg):
    fam = socket.AF_INET6 if ':' in dst else socket.AF_INET
    proto = socket.IPPROTO_ICMPV6 if fam == socket.AF_INET6 else socket.IPPROTO_ICMP
    r = socket.socket(fam, socket.SOCK_RAW, proto)
    r.sendto(msg, (dst, 0))


def related(vip, port, mtu):
    s, me, myport = flow(vip, port)
    if ':' in vip:
        quote = ip6(vip, me, 17, udp(port, myport, b'answer'))
        send_icmp(vip, struct.pack('!BBHI', 2, 0, 0, mtu) + quote)
    else:
        quote = ip4(vip, me, 17, udp(port, myport, b'answer'))
        m = struct.pack('!BBHHH', 3, 4, 0, 0, mtu) + quote
        send_icmp(vip, m[:2] + struct.pack('!H', csum(m)) + m[4:])


def tunnel(vip, port, director, rs, kind, mtu, tunport=0):
    s, me, myport = flow(vip, port)
    inner = ip4(me, vip, 17, udp(myport, port, b'hello'))
    if kind == 'ipip':
        outer = ip4(director, rs, 4, inner)
    elif kind == 'gue':
        outer = ip4(director, rs, 17, udp(40000, tunport, struct.pack('!BBH', 0, 4, 0) + inner))
    else:
        outer = ip4(director, rs, 47, struct.pack('!HH', 0, 0x0800) + inner)
    m = struct.pack('!BBHHH', 3, 4, 0, 0, mtu) + outer
    send_icmp(director, m[:2] + struct.pack('!H', csum(m)) + m[4:])
    deadline = time.time() + 5
    while time.time() < deadline:
        # IP_MTU (14): the path MTU the connected socket's route has now.
        m = s.getsockopt(socket.IPPROTO_IP, 14)
        if m < 1500:
            print(m)
            return
        time.sleep(0.1)
    print('none')


def main(a):
    if a[0] == 'related':
        related(a[1], int(a[2]), int(a[3]))
    elif a[0] == 'tunnel':
        tunnel(a[1], int(a[2]), a[3], a[4], a[5], int(a[6]), int(a[7]) if len(a) > 7 else 0)
    else:
        sys.exit('unknown command ' + a[0])


if __name__ == '__main__':
    main(sys.argv[1:])
