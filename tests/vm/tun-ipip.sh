#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm-time: 169 (rough seconds, only for tests/run-all to start the longest files first)
#
# IP-in-IP tunnelling (ipvsadm -i), IPv4 in IPv4 and IPv6 in IPv6: rr over
# TCP, UDP answered from the VIP, byte-exact transfers with the replies
# bypassing the director, the real servers' tunnel devices counting; an
# IPv4 service with IPv6 real servers (IPv4 in IPv6, the mixed-family
# case); a smaller route MTU towards a real server (PMTU discovery by the
# client); ICMP errors about replies passed through the tunnel and errors
# about the tunnel packets relayed to the client. Stock module first, then
# ours, each on one segment (tests/lib/tun.sh).
#
#   c 10.0.0.2 --+                 one Ethernet segment (tests/lib/lan.sh)
#   d 10.0.0.1 --+-- br0 --+-- r1 10.0.0.11 (VIP on lo, tunl0/ip6tnl0 up)
#   VIPs .100-108|         +-- r2 10.0.0.12
#   (and fd00::2, fd00::1, fd00::100-108, fd00::11, fd00::12)
. "$IPVSNG_TOP/tests/lib/vm.sh"
. "$IPVSNG_TOP/tests/lib/nat.sh"
. "$IPVSNG_TOP/tests/lib/lan.sh"
. "$IPVSNG_TOP/tests/lib/tun.sh"

R=/tmp/tun-ipip
mkdir -p $R

for ph in stock ours; do
	ipvs_phase $ph || { not_ok "load $ph module"; continue; }
	tun_setup ipip || { not_ok "$ph ipip: setup"; continue; }
	for f in 4 6; do
		case_tun $ph ipip $f
	done
	# Mixed families: IPv4 VIP, IPv6 real servers (IPv4 in IPv6).
	case_tun $ph ipip 4 6
	diag "$ph v4->v6 connections:" "$(cat $R/$ph.ipip.v46.conns)"
	for f in 4 6; do
		case_tun_pmtu $ph ipip $f
	done
	for f in 4 6; do
		case_tun_icmp $ph ipip $f
	done
	diag "$ph ipip: phase done after ${SECONDS}s"
	lan_cleanup
done

tun_compare ipip v44 v66 v46
check "ours: ip_vs unloads" ipvs_unload
check "kernel log clean" kernel_clean
tap_done
