#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Malformed and edge-case packets for the packet-fuzzing VM test
(tests/vm/pkt-fuzz.sh), written straight onto an Ethernet device.

  pktfuzz.py IFACE DSTMAC SEED COUNT TARGET...

TARGET is PROTO/SADDR/SPORT/DADDR/DPORT (PROTO tcp, udp or sctp; port 0:
random each packet; IPv6 addresses as they are). For every target it sends
a fixed catalogue (truncated and inconsistent IP headers, IP options, every
TCP flag combination, bad data offsets, UDP lengths, SCTP chunk lengths,
ICMP errors quoting truncated or garbage inner packets, overlapping and
never-completed fragments, IPv6 extension-header chains), then COUNT random
mutations of those packets (bit flips, truncation, garbage, mostly with the
IPv4 header checksum fixed up so that they get past ip_rcv). Prints
"sent N". The same SEED sends the same packets.
"""
import ipaddress
import random
import socket
import struct
import sys

from inetsum import csum

ETH_P_IP, ETH_P_IPV6 = 0x0800, 0x86DD
P_ICMP, P_TCP, P_UDP, P_ICMP6, P_SCTP = 1, 6, 17, 58, 132
NH_HBH, NH_RT, NH_FRAG, NH_NONE, NH_DST = 0, 43, 44, 59, 60
R = random.Random()


def crc32c(data):
    crc = 0xffffffff
    for b in data:
        crc ^= b
        for _ in range(8):
            crc = (crc >> 1) ^ (0x82f63b78 if crc & 1 else 0)
    return ~crc & 0xffffffff


def addr(a):
    return ipaddress.ip_address(a).packed


def is6(a):
    return ':' in a


def pseudo(s, d, proto, length):
    if is6(s):
        return addr(s) + addr(d) + struct.pack('!IxxxB', length, proto)
    return addr(s) + addr(d) + struct.pack('!xBH', proto, length)


def ip4(s, d, proto, payload, ihl=5, opts=b'', frag=0, ident=None, ttl=64,
        tot=None, fix=True):
    opts = opts.ljust((ihl - 5) * 4, b'\0') if ihl > 5 else b''
    hlen = 20 + len(opts)
    ident = R.getrandbits(16) if ident is None else ident
    tot = hlen + len(payload) if tot is None else tot
    h = struct.pack('!BBHHHBBH4s4s', 0x40 | (ihl & 15), 0, tot & 0xffff, ident,
                    frag, ttl, proto, 0, addr(s), addr(d)) + opts
    if fix:
        h = h[:10] + struct.pack('!H', csum(h)) + h[12:]
    return h + payload


def ip6(s, d, nh, payload, plen=None, hlim=64):
    plen = len(payload) if plen is None else plen
    return struct.pack('!IHBB16s16s', 0x60000000, plen & 0xffff, nh, hlim,
                       addr(s), addr(d)) + payload


def ip(s, d, proto, payload, **kw):
    if is6(s):
        return ip6(s, d, P_ICMP6 if proto == P_ICMP else proto, payload)
    return ip4(s, d, proto, payload, **kw)


def tcp(s, d, sp, dp, flags, doff=None, opts=b'', data=b'', ck='good'):
    doff = 5 + (len(opts) + 3) // 4 if doff is None else doff
    opts = opts.ljust(max(0, (doff - 5) * 4), b'\1')[:max(0, (doff - 5) * 4)]
    h = struct.pack('!HHIIBBHHH', sp, dp, R.getrandbits(32), R.getrandbits(32),
                    (doff & 15) << 4, flags & 0xff, R.choice([0, 1, 29200, 65535]),
                    0, R.choice([0, 0, 1, 65535])) + opts
    seg = h + data
    c = {'good': csum(pseudo(s, d, P_TCP, len(seg)) + seg), 'zero': 0,
         'bad': R.getrandbits(16)}[ck]
    return seg[:16] + struct.pack('!H', c) + seg[18:]


def udp(s, d, sp, dp, data=b'', length=None, ck='good'):
    length = 8 + len(data) if length is None else length
    dg = struct.pack('!HHHH', sp, dp, length & 0xffff, 0) + data
    c = {'good': csum(pseudo(s, d, P_UDP, len(dg)) + dg) or 0xffff, 'zero': 0,
         'bad': R.getrandbits(16) | 1}[ck]
    if ck == 'zero' and is6(s):
        c = 0
    return dg[:6] + struct.pack('!H', c) + dg[8:]


def chunk(typ, value=b'', flags=0, length=None):
    length = 4 + len(value) if length is None else length
    c = struct.pack('!BBH', typ, flags, length & 0xffff) + value
    return c + b'\0' * (-len(c) % 4)


def sctp(sp, dp, chunks, vtag=None, good=True):
    vtag = R.getrandbits(32) if vtag is None else vtag
    p = struct.pack('!HHII', sp, dp, vtag, 0) + b''.join(chunks)
    c = crc32c(p) if good else R.getrandbits(32)
    return p[:8] + struct.pack('<I', c) + p[12:]


def init_chunk():
    return chunk(1, struct.pack('!IIHHI', R.getrandbits(32) | 1, 65535, 10, 10,
                                R.getrandbits(32)))


def icmp(s, d, typ, code, rest, inner):
    body = struct.pack('!BBHI', typ, code, 0, rest) + inner
    if is6(s):
        c = csum(pseudo(s, d, P_ICMP6, len(body)) + body)
    else:
        c = csum(body)
    return body[:2] + struct.pack('!H', c) + body[4:]


def port(p):
    return p or R.randrange(1024, 65536)


def l4(t, **kw):
    proto, s, sp, d, dp = t
    sp, dp = port(sp), port(dp)
    if proto == 'tcp':
        return P_TCP, tcp(s, d, sp, dp, kw.get('flags', 0x02))
    if proto == 'udp':
        return P_UDP, udp(s, d, sp, dp, b'q' * R.randrange(0, 40))
    return P_SCTP, sctp(sp, dp, [init_chunk()], vtag=0)


def catalogue(t):
    """Every fixed case for one target, as IP packets."""
    proto, s, sp, d, dp = t
    v6 = is6(s)
    out = []
    pn, seg = l4(t)
    out.append(ip(s, d, pn, seg))                       # the valid one
    # Truncated and inconsistent IP headers.
    full = ip(s, d, pn, seg)
    for n in (1, 10, 19, 20, 39, 40):
        out.append(full[:n])
    if v6:
        out.append(ip6(s, d, pn, seg, plen=len(seg) + 100))
        out.append(ip6(s, d, pn, seg, plen=0))
        out.append(ip6(s, d, pn, seg, plen=len(seg) - 4))
        out.append(ip6(s, d, pn, seg + b'\xee' * 64, plen=len(seg)))
    else:
        for ihl in (0, 4, 6, 15):
            out.append(ip4(s, d, pn, seg, ihl=ihl))
        for tot in (0, 19, 24, len(seg) + 20 + 100, len(seg) + 10):
            out.append(ip4(s, d, pn, seg, tot=tot))
        out.append(ip4(s, d, pn, seg, fix=False)[:10] + b'\0\0' + full[12:])
        for o in (b'\x07\x03\x04', b'\x44\x0c\x05' + bytes(9), b'\x83\x00',
                  bytes(R.getrandbits(8) for _ in range(40)), b'\x94\x04\0\0'):
            out.append(ip4(s, d, pn, seg, ihl=5 + (len(o) + 3) // 4, opts=o))
        out.append(ip4(s, d, pn, seg, ttl=0))
        out.append(ip4(s, d, pn, seg, ttl=1))
    sp_, dp_ = port(sp), port(dp)
    # The transport header.
    if proto == 'tcp':
        for f in range(256):
            out.append(ip(s, d, P_TCP, tcp(s, d, sp_, dp_, f)))
        for doff in (0, 1, 4, 15):
            out.append(ip(s, d, P_TCP, tcp(s, d, sp_, dp_, 0x02, doff=doff)))
        for n in (0, 1, 12, 19):
            out.append(ip(s, d, P_TCP, tcp(s, d, sp_, dp_, 0x02)[:n]))
        out.append(ip(s, d, P_TCP, tcp(s, d, sp_, dp_, 0x02, ck='bad')))
        out.append(ip(s, d, P_TCP, tcp(s, d, sp_, dp_, 0x02, ck='zero')))
        for o in (bytes(40), b'\x02\x04\x00\x00', b'\x03\x03\x0f', b'\x08\x0a' + bytes(8),
                  b'\x05\xff', bytes(R.getrandbits(8) for _ in range(40))):
            out.append(ip(s, d, P_TCP, tcp(s, d, sp_, dp_, 0x02, opts=o)))
        out.append(ip(s, d, P_TCP, tcp(s, d, sp_, dp_, 0x18, data=b'x' * 1000)))
    elif proto == 'udp':
        for length in (0, 4, 7, 8, 9, 2000, 65535):
            out.append(ip(s, d, P_UDP, udp(s, d, sp_, dp_, b'data', length=length)))
        out.append(ip(s, d, P_UDP, udp(s, d, sp_, dp_, b'')))
        for ck in ('zero', 'bad'):
            out.append(ip(s, d, P_UDP, udp(s, d, sp_, dp_, b'data', ck=ck)))
        for n in (0, 3, 7):
            out.append(ip(s, d, P_UDP, udp(s, d, sp_, dp_, b'data')[:n]))
    else:
        init = init_chunk()
        for n in (0, 4, 11, 12):
            out.append(ip(s, d, P_SCTP, sctp(sp_, dp_, [init])[:n]))
        out.append(ip(s, d, P_SCTP, sctp(sp_, dp_, [])))
        out.append(ip(s, d, P_SCTP, sctp(sp_, dp_, [init], good=False)))
        for length in (0, 3, 4, 200, 65535):
            out.append(ip(s, d, P_SCTP, sctp(sp_, dp_, [chunk(1, bytes(16), length=length)])))
        for typ in range(0, 16):
            out.append(ip(s, d, P_SCTP, sctp(sp_, dp_, [chunk(typ, bytes(R.randrange(0, 24)))])))
        out.append(ip(s, d, P_SCTP, sctp(sp_, dp_, [chunk(0, bytes(4))] * 100)))
        out.append(ip(s, d, P_SCTP, sctp(sp_, dp_, [init, chunk(6), chunk(0, b'xx')], vtag=0)))
    # ICMP errors about a packet the other side sent us (inner: d -> s).
    ipn, iseg = l4((proto, d, dp, s, sp))
    inner = ip(d, s, ipn, iseg)
    errs = [(3, 3, 0), (3, 4, 0), (3, 4, 68 << 0), (3, 4, 65535), (11, 0, 0),
            (12, 0, 0), (3, 13, 0)] if not v6 else \
        [(1, 4, 0), (2, 0, 0), (2, 0, 1279), (2, 0, 0xffffffff), (3, 0, 0), (4, 0, 40)]
    for typ, code, rest in errs:
        for n in (0, 4, 8, 12, 20, 24, 27, 28, 40, 44, 48, len(inner)):
            out.append(ip(s, d, P_ICMP, icmp(s, d, typ, code, rest, inner[:n])))
    typ, code, rest = errs[0]
    junk = bytes(R.getrandbits(8) for _ in range(64))
    out.append(ip(s, d, P_ICMP, icmp(s, d, typ, code, rest, junk)))
    if not v6:
        for ihl in (3, 4, 15):
            out.append(ip(s, d, P_ICMP, icmp(s, d, 3, 3, 0, ip4(d, s, ipn, iseg, ihl=ihl))))
        out.append(ip(s, d, P_ICMP, icmp(s, d, 3, 3, 0, ip4(d, s, 99, iseg))))
        nested = ip(d, s, P_ICMP, icmp(d, s, 3, 3, 0, inner))
        out.append(ip(s, d, P_ICMP, icmp(s, d, 3, 3, 0, nested)))
        out.append(ip(s, d, P_ICMP, icmp(s, d, 3, 3, 0, ip4(d, s, ipn, iseg, frag=0x2001))))
        out.append(ip(s, d, P_ICMP, icmp(s, d, 8, 0, 0x12340001, b'ping')))
    else:
        out.append(ip(s, d, P_ICMP, icmp(s, d, 1, 4, 0, ip6(d, s, NH_DST, bytes([ipn, 200]) + bytes(6) + iseg))))
        out.append(ip(s, d, P_ICMP, icmp(s, d, 1, 4, 0, ip6(d, s, NH_FRAG, bytes([ipn, 0, 0, 8]) + bytes(4) + iseg))))
        out.append(ip(s, d, P_ICMP, icmp(s, d, 128, 0, 0x12340001, b'ping')))
    out.extend(fragments(t))
    if v6:
        out.extend(ext_chains(t))
    return out


def fragments(t):
    """Overlapping, duplicate, tiny and never-completed fragments."""
    proto, s, sp, d, dp = t
    pn, seg = l4(t)
    seg = seg + bytes(64 - len(seg) % 8) if len(seg) < 64 else seg
    out = []
    if is6(s):
        def frag(off, more, data, ident):
            fh = struct.pack('!BBHI', pn, 0, (off & 0x1fff) << 3 | more, ident)
            return ip6(s, d, NH_FRAG, fh + data)
    else:
        def frag(off, more, data, ident):
            return ip4(s, d, pn, data, frag=(more << 13) | (off & 0x1fff), ident=ident)
    i = R.getrandbits(16)
    out += [frag(0, 1, seg[:16], i), frag(1, 1, seg[8:32], i), frag(2, 0, seg[16:], i)]
    i += 1
    out += [frag(0, 1, seg[:24], i), frag(0, 1, seg[:24], i), frag(3, 0, seg[24:], i)]
    i += 1
    out += [frag(3, 0, seg[24:], i), frag(0, 1, seg[:24], i)]
    i += 1
    out += [frag(0, 1, seg[:8], i), frag(1, 0, seg[8:], i)]
    i += 1
    out += [frag(0, 1, seg[:4], i)]
    out += [frag(0x1fff, 1, seg[:16], i + 1), frag(0x1ffe, 0, seg, i + 1)]
    out += [frag(0, 1, seg[:16], i + 2), frag(2, 1, bytes(8), i + 2)]
    for k in range(50):
        out.append(frag(R.randrange(1, 100), R.getrandbits(1), seg[:16], i + 3 + k))
    out.append(frag(0, 0, seg, i + 60))                 # atomic fragment
    return out


def ext_chains(t):
    proto, s, sp, d, dp = t
    pn, seg = l4(t)

    def opt_hdr(nh, n=0):
        return struct.pack('!BB', nh, n) + b'\x01' + bytes([4 + 8 * n]) + bytes(4 + 8 * n)

    out = []
    out.append(ip6(s, d, NH_HBH, opt_hdr(NH_DST) + opt_hdr(pn) + seg))
    chain = seg
    nh = pn
    for _ in range(10):
        chain = opt_hdr(nh) + chain
        nh = NH_DST
    out.append(ip6(s, d, NH_DST, chain))
    out.append(ip6(s, d, NH_DST, struct.pack('!BB', pn, 200) + bytes(6) + seg))
    out.append(ip6(s, d, NH_RT, struct.pack('!BBBB', pn, 0, 0, 0) + bytes(4) + seg))
    out.append(ip6(s, d, NH_RT, struct.pack('!BBBB', pn, 2, 4, 1) + bytes(4) + bytes(16) + seg))
    out.append(ip6(s, d, NH_DST, opt_hdr(253) + seg))
    out.append(ip6(s, d, NH_DST, opt_hdr(NH_NONE) + seg))
    out.append(ip6(s, d, NH_HBH, opt_hdr(NH_HBH) + opt_hdr(pn) + seg))
    out.append(ip6(s, d, NH_DST, opt_hdr(pn)[:5]))
    return out


def mutate(p):
    p = bytearray(p)
    k = R.randrange(5)
    if k == 0 and p:
        for _ in range(R.randrange(1, 9)):
            i = R.randrange(len(p))
            p[i] ^= 1 << R.randrange(8)
    elif k == 1 and p:
        p = p[:R.randrange(len(p))]
    elif k == 2:
        p += bytes(R.getrandbits(8) for _ in range(R.randrange(1, 200)))
    elif k == 3 and len(p) > 20:
        i = R.randrange(20, len(p))
        for j in range(i, min(len(p), i + R.randrange(1, 16))):
            p[j] = R.getrandbits(8)
    elif p:
        i = R.randrange(min(len(p), 60))
        p[i] = R.getrandbits(8)
    if len(p) >= 20 and p[0] >> 4 == 4 and R.random() < 0.8:
        if R.random() < 0.5:
            p[2:4] = struct.pack('!H', len(p))
        hl = (p[0] & 15) * 4
        if 20 <= hl <= len(p):
            p[10:12] = b'\0\0'
            p[10:12] = struct.pack('!H', csum(bytes(p[:hl])))
    elif len(p) >= 40 and p[0] >> 4 == 6 and R.random() < 0.5:
        p[4:6] = struct.pack('!H', len(p) - 40)
    return bytes(p)


def main(a):
    iface, dmac, seed, count = a[0], bytes.fromhex(a[1].replace(':', '')), int(a[2]), int(a[3])
    R.seed(seed)
    targets = []
    for spec in a[4:]:
        proto, s, sp, d, dp = spec.split('/')
        targets.append((proto, s, int(sp), d, int(dp)))
    sock = None
    smac = bytes(6)
    if iface != '-':                # "-": build the packets, send nothing
        sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
        sock.bind((iface, 0))
        smac = sock.getsockname()[4]
    sent = 0
    pool, valid = [], []

    def send(p):
        nonlocal sent
        et = ETH_P_IPV6 if p and p[0] >> 4 == 6 else ETH_P_IP
        try:
            if sock:
                sock.send(dmac + smac + struct.pack('!H', et) + p)
            sent += 1
        except OSError:
            pass

    for t in targets:
        cat = catalogue(t)
        valid.append(cat[0])
        pool.extend(cat)
        for p in cat:
            send(p)
    for _ in range(count):
        send(mutate(R.choice(valid if R.random() < 0.3 else pool)))
    print('sent %d' % sent)


if __name__ == '__main__':
    main(sys.argv[1:])
