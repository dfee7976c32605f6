#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Tiny servers and clients for the NAT data-plane VM tests (tests/vm/nat-*.sh).

  nattool.py tcp-server NAME PORT           each connection gets "NAME\\n"
  nattool.py udp-server NAME PORT           each datagram gets "NAME <payload>"
  nattool.py peer-server NAME PORT           each connection gets "NAME PEERADDR\\n"
  nattool.py hold-server NAME PORT          like tcp-server, then echoes what
                                            it receives until the peer closes
  nattool.py hold-echo HOST PORT FILE       connect, print the name, wait for
                                            FILE to exist, send a line and
                                            print "echo ok", "reset" or "timeout"
  nattool.py tcp-get HOST PORT N [SRC]      N connections, prints each answer;
                                            SRC: a source port (digits, every
                                            connection from it) or address
  nattool.py udp-ask HOST PORT N [SIZE]     N request/response datagrams on one
                                            socket; prints "sent S recv R" and a
                                            name histogram; SIZE pads requests
  nattool.py sctp-server NAME PORT ADDR     SCTP (one-to-one): each association
                                            gets "NAME\\n", then its data echoed
  nattool.py sctp-get HOST PORT N SIZE      N associations: read the name, send
                                            SIZE random bytes, compare the echo;
                                            prints "NAME ok" or "NAME bad" each
  nattool.py sctp-crc IFACE SECS DST [STOP]
                                            watch IFACE for SECS seconds, or
                                            until file STOP exists; check the
                                            CRC32c of every SCTP packet to DST
                                            it receives; prints "watching",
                                            then "frames F large L" (frames
                                            seen, GSO ones skipped) and
                                            "sctp N bad M"
  nattool.py udp-refused HOST PORT          one datagram on a connected socket;
                                            prints "refused" on ICMP unreachable
  nattool.py udp-ttl HOST PORT TTL          one datagram with that TTL (hop
                                            limit); prints "answered", "expired"
                                            (ICMP time exceeded) or "timeout"
  nattool.py hold HOST PORT N SECS          open N concurrent connections (256
                                            handshakes at a time), read each
                                            name, hold SECS, close (RST);
                                            prints "established E named K"
  nattool.py udp-send HOST PORT N [GAP]     N datagrams on one socket, GAP s
                                            apart (0.002); answers not read
  nattool.py udp-flows HOST PORT N [FIRST]  N sockets send one datagram each at
                                            once, answers awaited until 3 s
                                            pass without one (30 s at most;
                                            both times TEST_TIME_SCALE);
                                            prints "answered A of N"; FIRST:
                                            source ports FIRST..FIRST+N-1
                                            (default: ephemeral ones, which
                                            a later call may reuse)
  nattool.py tcp-loop HOST PORT SECS        connections one after another for
                                            SECS seconds, each reading a name;
                                            prints "ok N fail F reused R"
                                            (R: successes on a client port
                                            used before) and a line per
                                            failure kind
  nattool.py hold-ctl HOST PORT             commands on stdin, one answer line
                                            each: "open" connects and prints
                                            the server's name ("refused" or
                                            "timeout" if none); "reset NAME"
                                            resets one held connection to NAME
                                            and prints "reset NAME" (or "none")

Every loop is bounded in count and time.
"""
import collections
import errno
import os
import selectors
import socket
import struct
import sys
import threading
import time


def family(host):
    return socket.AF_INET6 if ':' in host else socket.AF_INET


def listen_any(port, kind):
    s = socket.socket(socket.AF_INET6, kind)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
    s.bind(('::', port))
    return s


def peer_name(addr):
    return addr[0][7:] if addr[0].startswith('::ffff:') else addr[0]


def tcp_server(name, port, hold=False, peer=False):
    s = listen_any(port, socket.SOCK_STREAM)
    # As deep as net.core.somaxconn allows: nat-scale raises it so that
    # 10,000 connections arriving at once are not dropped while a slow
    # (debug) kernel runs this loop.
    s.listen(65535)
    sel = selectors.DefaultSelector()
    sel.register(s, selectors.EVENT_READ)
    msg = (name + '\n').encode()
    while True:
        for key, _ in sel.select():
            if key.fileobj is s:
                try:
                    c, addr = s.accept()
                except OSError:
                    continue
                try:
                    c.sendall(('%s %s\n' % (name, peer_name(addr))).encode()
                              if peer else msg)
                except OSError:
                    c.close()
                    continue
                if hold:
                    c.setblocking(False)
                    sel.register(c, selectors.EVENT_READ)
                else:
                    c.close()
            else:
                c = key.fileobj
                try:
                    data = c.recv(4096)
                except OSError:
                    data = b''
                if not data:
                    sel.unregister(c)
                    c.close()
                else:
                    try:
                        c.sendall(data)
                    except OSError:
                        pass


def udp_server(name, port):
    s = listen_any(port, socket.SOCK_DGRAM)
    # Answer from the address the request was sent to (a DR/TUN real
    # server owns the VIP on lo; routing alone would pick another source).
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_RECVPKTINFO, 1)
    while True:
        data, anc, _, peer = s.recvmsg(65535, socket.CMSG_SPACE(20))
        info = [(lvl, typ, d[:16] + bytes(4)) for lvl, typ, d in anc
                if lvl == socket.IPPROTO_IPV6 and typ == socket.IPV6_PKTINFO]
        s.sendmsg([name.encode() + b' ' + data], info, 0, peer)


def read_name(c):
    buf = b''
    while not buf.endswith(b'\n'):
        d = c.recv(100)
        if not d:
            break
        buf += d
    return buf.decode().strip()


def connect_from(host, port, src, sport):
    deadline = time.time() + 10
    while True:
        try:
            return socket.create_connection((host, port), timeout=10,
                                            source_address=(src or '', sport)
                                            if src or sport else None)
        except OSError as e:
            # A fixed source port is busy while the previous connection
            # from it waits for its last ACK (LAST_ACK): a slow guest
            # takes a moment.
            if not sport or e.errno not in (errno.EADDRINUSE, errno.EADDRNOTAVAIL) \
                    or time.time() > deadline:
                raise
            time.sleep(0.05)


def tcp_get(host, port, n, src=None, sport=0):
    for _ in range(n):
        with connect_from(host, port, src, sport) as c:
            name = read_name(c)
            # With a fixed port, let the server close first so the port
            # is free again (no TIME_WAIT on this side).
            while sport and c.recv(100):
                pass
            print(name, flush=True)


def udp_ask(host, port, n, size=0, src=None):
    s = socket.socket(family(host), socket.SOCK_DGRAM)
    if src:
        s.bind((src, 0))
    s.settimeout(2)
    s.connect((host, port))
    names = collections.Counter()
    recv = 0
    for i in range(n):
        req = struct.pack('!I', i) + b'x' * max(0, size - 4)
        try:
            s.send(req)
        except OSError:
            break
        for _ in range(3):
            try:
                data = s.recv(70000)
            except (socket.timeout, OSError):
                break
            name, _, payload = data.partition(b' ')
            if payload == req:
                recv += 1
                names[name.decode()] += 1
                break
    print('sent %d recv %d' % (n, recv))
    for k in sorted(names):
        print('%s %d' % (k, names[k]))


def udp_send(host, port, n, gap=0.002):
    s = socket.socket(family(host), socket.SOCK_DGRAM)
    s.connect((host, port))
    for i in range(n):
        s.send(struct.pack('!I', i))
        time.sleep(gap)
    print('sent %d' % n)


def udp_flows(host, port, n, first=0):
    sel = selectors.DefaultSelector()
    for i in range(n):
        s = socket.socket(family(host), socket.SOCK_DGRAM)
        s.setblocking(False)
        if first:
            s.bind(('', first + i))
        s.connect((host, port))
        s.send(struct.pack('!I', i))
        sel.register(s, selectors.EVENT_READ)
    # Until all are answered, or 3 s pass without an answer (30 s at most),
    # times TEST_TIME_SCALE on a slow kernel (tests/lib/vm.sh): a slow guest
    # is still answering, a refused flow never will.
    scale = int(os.environ.get('TEST_TIME_SCALE', '1'))
    answered = 0
    end = time.time() + 30 * scale
    quiet = time.time() + 3 * scale
    while answered < n and time.time() < min(quiet, end):
        for key, _ in sel.select(timeout=0.2):
            try:
                key.fileobj.recv(100)
                answered += 1
                quiet = time.time() + 3 * scale
            except OSError:
                pass
            sel.unregister(key.fileobj)
            key.fileobj.close()
    print('answered %d of %d' % (answered, n))


def udp_log(name, port, path):
    s = listen_any(port, socket.SOCK_DGRAM)
    while True:
        data, peer = s.recvfrom(65535)
        with open(path, 'a') as f:
            f.write('%s %s %d\n' % (name, peer[0], len(data)))


def sctp_server(name, port, addr):
    # One bound address: the INIT ACK then lists none, so the client never
    # probes the real server's own address around the director.
    s = socket.socket(family(addr), socket.SOCK_STREAM, socket.IPPROTO_SCTP)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((addr, port))
    s.listen(64)

    def serve(c):
        with c:
            c.settimeout(30)
            try:
                c.sendall((name + '\n').encode())
                while True:
                    d = c.recv(65536)
                    if not d:
                        break
                    c.sendall(d)
            except OSError:
                pass
    while True:
        c, _ = s.accept()
        threading.Thread(target=serve, args=(c,), daemon=True).start()


def sctp_get(host, port, n, size):
    import os
    for _ in range(n):
        c = socket.socket(family(host), socket.SOCK_STREAM, socket.IPPROTO_SCTP)
        c.settimeout(20)
        c.connect((host, port))
        name = read_name(c)
        data = os.urandom(size)
        c.sendall(data)
        back = b''
        try:
            while len(back) < size:
                d = c.recv(65536)
                if not d:
                    break
                back += d
        except OSError:
            pass
        c.close()
        print('%s %s' % (name, 'ok' if back == data else 'bad'), flush=True)


def crc32c(data):
    table = crc32c.table
    if table is None:
        table = crc32c.table = []
        for i in range(256):
            c = i
            for _ in range(8):
                c = (c >> 1) ^ 0x82F63B78 if c & 1 else c >> 1
            table.append(c)
    c = 0xFFFFFFFF
    for b in data:
        c = table[(c ^ b) & 0xFF] ^ (c >> 8)
    return c ^ 0xFFFFFFFF


crc32c.table = None


def sctp_crc(iface, secs, dst, stop=None):
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(0x0003))
    # Checking a CRC in Python is slow under TCG: room for a whole burst
    # (SO_RCVBUFFORCE, 33 on Linux, which Python does not name: root may
    # pass net.core.rmem_max).
    s.setsockopt(socket.SOL_SOCKET, 33, 8 << 20)
    s.bind((iface, 0))
    s.settimeout(0.2)
    want = socket.inet_pton(family(dst), dst)
    buf = bytearray(262144)
    print('watching', flush=True)
    n = bad = frames = large = 0
    deadline = time.time() + secs
    stopping = False
    while time.time() < deadline:
        # Once told to stop, read what is queued, up to a 0.2 s silence.
        stopping = stopping or bool(stop and os.path.exists(stop))
        try:
            size = s.recv_into(buf)
        except (socket.timeout, OSError):
            if stopping:
                break
            continue
        frames += 1
        f = bytes(buf[:size])
        if size > 1514:
            large += 1
            continue    # GSO: the CRC is computed when it is segmented
        # Only what is received: our own packets may leave the CRC to
        # the device.
        eth = struct.unpack('!H', f[12:14])[0]
        if eth == 0x0800 and f[23] == 132 and f[30:34] == want:
            sctp = f[14 + (f[14] & 15) * 4:14 + struct.unpack('!H', f[16:18])[0]]
        elif eth == 0x86DD and f[20] == 132 and f[38:54] == want:
            sctp = f[54:54 + struct.unpack('!H', f[18:20])[0]]
        else:
            continue
        n += 1
        if struct.pack('<I', crc32c(sctp[:8] + bytes(4) + sctp[12:])) != sctp[8:12]:
            bad += 1
    print('frames %d large %d' % (frames, large), flush=True)
    print('sctp %d bad %d' % (n, bad), flush=True)


def udp_refused(host, port):
    s = socket.socket(family(host), socket.SOCK_DGRAM)
    s.settimeout(3)
    s.connect((host, port))
    try:
        s.send(b'ping')
        s.recv(100)
        print('answered')
    except ConnectionRefusedError:
        print('refused')
    except socket.timeout:
        print('timeout')


def udp_ttl(host, port, ttl):
    fam = family(host)
    s = socket.socket(fam, socket.SOCK_DGRAM)
    if fam == socket.AF_INET6:
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_UNICAST_HOPS, ttl)
        s.setsockopt(socket.IPPROTO_IPV6, 25, 1)    # IPV6_RECVERR
    else:
        s.setsockopt(socket.IPPROTO_IP, socket.IP_TTL, ttl)
        s.setsockopt(socket.IPPROTO_IP, 11, 1)      # IP_RECVERR
    s.settimeout(3)
    s.connect((host, port))
    try:
        s.send(b'ping')
        s.recv(100)
        print('answered')
    except socket.timeout:
        print('timeout')
    except OSError as e:
        # Time exceeded is reported as "host unreachable" (IP_RECVERR).
        print('expired' if e.errno == errno.EHOSTUNREACH else 'error %d' % e.errno)


def syn_count(secs):
    # SYN retransmissions for a connect to keep trying for secs: the RTO
    # starts at 1 s and doubles up to 120 s (TCP_RTO_MAX).
    n, rto, waited = 0, 1, 1
    while waited < secs and n < 127:
        n += 1
        rto = min(rto * 2, 120)
        waited += rto
    return n


def hold(host, port, n, secs):
    sel = selectors.DefaultSelector()
    socks = []
    # A slow kernel (TEST_TIME_SCALE, tests/lib/vm.sh) gets longer.
    wait = 120 * int(os.environ.get('TEST_TIME_SCALE', '1'))
    # At most `window` connections wait for their name at a time, and their
    # SYNs keep trying as long as we wait. All 10,000 SYNs at once made a
    # debug-kernel guest retransmit most of them, over and over; the
    # default 6 retries (127 s) then ran out (seen: 7,588 of 10,000).
    window = 256
    syncnt = max(6, syn_count(wait))
    named = waiting = 0
    deadline = time.time() + wait
    while named < n and time.time() < deadline:
        while len(socks) < n and waiting < window:
            c = socket.socket(family(host), socket.SOCK_STREAM)
            c.setblocking(False)
            c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                         struct.pack('ii', 1, 0))
            c.setsockopt(socket.IPPROTO_TCP, socket.TCP_SYNCNT, syncnt)
            c.connect_ex((host, port))
            socks.append(c)
            sel.register(c, selectors.EVENT_READ)
            waiting += 1
        if not waiting:
            break
        for key, _ in sel.select(timeout=1):
            try:
                d = key.fileobj.recv(100)
            except OSError:
                d = b''
            sel.unregister(key.fileobj)
            waiting -= 1
            if d.endswith(b'\n'):
                named += 1
    established = 0
    for c in socks:
        try:
            c.getpeername()
            established += 1
        except OSError:
            pass
    print('established %d named %d' % (established, named), flush=True)
    time.sleep(secs)
    for c in socks:
        c.close()


def hold_echo(host, port, trigger):
    import os
    c = socket.create_connection((host, port), timeout=10)
    print(c.recv(100).decode().strip(), flush=True)
    deadline = time.time() + 120
    while not os.path.exists(trigger) and time.time() < deadline:
        time.sleep(0.1)
    c.settimeout(5)
    try:
        c.sendall(b'ping\n')
        d = c.recv(100)
        print('echo ok' if d == b'ping\n' else 'reset')
    except socket.timeout:
        print('timeout')
    except OSError:
        print('reset')


def tcp_loop(host, port, secs):
    ok = reused = 0
    ports = set()
    fails = collections.Counter()
    end = time.time() + secs
    while time.time() < end:
        try:
            # 15 s: room for three SYN retransmissions (1, 3, 7 s) on a
            # machine where a guest may stall for seconds.
            with socket.create_connection((host, port), timeout=15) as c:
                c.settimeout(15)
                if read_name(c) in ('r1', 'r2', 'r3'):
                    ok += 1
                    # A client port used before meets whatever entry the
                    # director still keeps for that 4-tuple.
                    sport = c.getsockname()[1]
                    reused += sport in ports
                    ports.add(sport)
                else:
                    fails['no name'] += 1
        except ConnectionRefusedError:
            fails['refused'] += 1
            time.sleep(0.05)
        except socket.timeout:
            fails['timeout'] += 1
        except OSError as e:
            fails[errno.errorcode.get(e.errno, str(e.errno))] += 1
            time.sleep(0.05)
    print('ok %d fail %d reused %d' % (ok, sum(fails.values()), reused),
          flush=True)
    for k in sorted(fails):
        print('%s %d' % (k, fails[k]))


def hold_ctl(host, port):
    held = []
    for line in sys.stdin:
        w = line.split()
        if w == ['open']:
            c = socket.socket(family(host), socket.SOCK_STREAM)
            c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack('ii', 1, 0))
            c.settimeout(10)
            try:
                c.connect((host, port))
                name = read_name(c) or 'closed'
                held.append((name, c))
            except ConnectionRefusedError:
                name = 'refused'
                c.close()
            except OSError:
                name = 'timeout'
                c.close()
            print(name, flush=True)
        elif len(w) == 2 and w[0] == 'reset':
            i = next((i for i, (n, _) in enumerate(held) if n == w[1]), None)
            if i is None:
                print('none', flush=True)
            else:
                held.pop(i)[1].close()
                print('reset ' + w[1], flush=True)
        else:
            print('?', flush=True)


def main(a):
    cmd = a[0]
    if cmd == 'tcp-server':
        tcp_server(a[1], int(a[2]))
    elif cmd == 'hold-server':
        tcp_server(a[1], int(a[2]), hold=True)
    elif cmd == 'udp-server':
        udp_server(a[1], int(a[2]))
    elif cmd == 'peer-server':
        tcp_server(a[1], int(a[2]), peer=True)
    elif cmd == 'tcp-get':
        # The optional 4th word: a source port (digits) or address.
        x = a[4] if len(a) > 4 else ''
        tcp_get(a[1], int(a[2]), int(a[3]), None if x.isdigit() else x or None,
                int(x) if x.isdigit() else 0)
    elif cmd == 'udp-ask':
        udp_ask(a[1], int(a[2]), int(a[3]), int(a[4]) if len(a) > 4 else 0,
                a[5] if len(a) > 5 else None)
    elif cmd == 'udp-send':
        udp_send(a[1], int(a[2]), int(a[3]), float(a[4]) if len(a) > 4 else 0.002)
    elif cmd == 'udp-log':
        udp_log(a[1], int(a[2]), a[3])
    elif cmd == 'sctp-server':
        sctp_server(a[1], int(a[2]), a[3])
    elif cmd == 'sctp-get':
        sctp_get(a[1], int(a[2]), int(a[3]), int(a[4]))
    elif cmd == 'sctp-crc':
        sctp_crc(a[1], float(a[2]), a[3], a[4] if len(a) > 4 else None)
    elif cmd == 'udp-refused':
        udp_refused(a[1], int(a[2]))
    elif cmd == 'udp-ttl':
        udp_ttl(a[1], int(a[2]), int(a[3]))
    elif cmd == 'hold-echo':
        hold_echo(a[1], int(a[2]), a[3])
    elif cmd == 'udp-flows':
        udp_flows(a[1], int(a[2]), int(a[3]), int(a[4]) if len(a) > 4 else 0)
    elif cmd == 'tcp-loop':
        tcp_loop(a[1], int(a[2]), float(a[3]))
    elif cmd == 'hold-ctl':
        hold_ctl(a[1], int(a[2]))
    elif cmd == 'hold':
        hold(a[1], int(a[2]), int(a[3]), float(a[4]))
    else:
        sys.exit('unknown command ' + cmd)


if __name__ == '__main__':
    main(sys.argv[1:])
