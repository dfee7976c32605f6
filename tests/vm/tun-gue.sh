#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm-time: 194 (rough seconds, only for tests/run-all to start the longest files first)
#
# Tunnelling with --tun-type gue: GUE (UDP port 6080, "ip fou ... gue" on the real servers),
# IPv4 in IPv4, IPv6 in IPv6 (no UDP checksum, --tun-nocsum being the
# default), and IPv4 again with --tun-remcsum and with --tun-csum: rr over TCP,
# UDP answered from the VIP, byte-exact transfers with the replies bypassing
# the director, the real servers' tunnel devices counting; ICMP errors about
# replies passed through the tunnel and errors about the tunnel packets
# relayed to the client. Stock module first, then ours (tests/lib/tun.sh).
#
#   c 10.0.0.2 --+                 one Ethernet segment (tests/lib/lan.sh)
#   d 10.0.0.1 --+-- br0 --+-- r1 10.0.0.11 (VIP on lo, fou + tunl0/ip6tnl0)
#   VIPs .100-108|         +-- r2 10.0.0.12
. "$IPVSNG_TOP/tests/lib/vm.sh"
. "$IPVSNG_TOP/tests/lib/nat.sh"
. "$IPVSNG_TOP/tests/lib/lan.sh"
. "$IPVSNG_TOP/tests/lib/tun.sh"

R=/tmp/tun-gue
mkdir -p $R
tun_encap_main gue --tun-remcsum --tun-csum
