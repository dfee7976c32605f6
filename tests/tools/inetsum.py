# SPDX-License-Identifier: GPL-2.0
#
# The Internet checksum (RFC 1071), shared by the packet-writing test tools
# (pktfuzz.py, icmperr.py, tests/unit/sched/vm/synsend.py).
import struct


def csum(data):
    """One's-complement sum of 16-bit words, complemented."""
    if len(data) % 2:
        data += b'\0'
    s = sum(struct.unpack('!%dH' % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff
