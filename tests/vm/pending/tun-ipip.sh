#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# IP-in-IP tunnelling (ipvsadm -i), IPv4 in IPv4 and IPv6 in IPv6: rr over
# TCP, UDP answered from the VIP, byte-exact transfers with the replies
# bypassing the director, the real servers' tunnel devices counting, a
# smaller route MTU towards a real server (PMTU discovery by the client),
# ICMP errors about replies passed through the tunnel and errors about the
# tunnel packets relayed to the client; and an IPv4 service with IPv6 real
# servers (IPv4 in IPv6, the mixed-family case). Stock module first, then ours.
#
#   c 10.0.0.2 --+                 one Ethernet segment (tests/lib/lan.sh)
#   d 10.0.0.1 --+-- br0 --+-- r1 10.0.0.11 (VIP on lo, tunl0/ip6tnl0 up)
#   VIP .100     |         +-- r2 10.0.0.12
. "$IPVSNG_TOP/tests/lib/vm.sh"
. "$IPVSNG_TOP/tests/lib/nat.sh"
. "$IPVSNG_TOP/tests/lib/lan.sh"
. "$IPVSNG_TOP/tests/lib/tun.sh"

R=/tmp/tun-ipip
mkdir -p $R

for ph in stock ours; do
	ipvs_phase $ph || { not_ok "load $ph module"; continue; }
	for f in 4 6; do
		case_tun $ph ipip $f
		case_tun_pmtu $ph ipip $f
		case_tun_icmp $ph ipip $f
	done
	# Mixed families: IPv4 VIP, IPv6 real servers (IPv4 in IPv6).
	case_tun $ph ipip 4 6
	lan_cleanup
done

for f in 4 6; do
	check_same "stock and ours v$f: rr order" $R/stock.ipip.v$f$f.rr $R/ours.ipip.v$f$f.rr
	check_same "stock and ours v$f: ipvsadm -Ln" $R/stock.ipip.v$f$f.ln $R/ours.ipip.v$f$f.ln
	check_same "stock and ours v$f: ipvsadm -Ln --stats (UDP exact, TCP conns)" \
		$R/stock.ipip.v$f$f.stats $R/ours.ipip.v$f$f.stats
done
check_same "stock and ours v4->v6: rr order" $R/stock.ipip.v46.rr $R/ours.ipip.v46.rr
check_same "stock and ours v4->v6: ipvsadm -Ln" $R/stock.ipip.v46.ln $R/ours.ipip.v46.ln
check_same "stock and ours v4->v6: ipvsadm -Lnc (ports, timers masked)" \
	$R/stock.ipip.v46.lnc $R/ours.ipip.v46.lnc
check "ours: ip_vs unloads" ipvs_unload
check "kernel log clean" kernel_clean
tap_done
