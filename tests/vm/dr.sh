#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm-time: 254 (rough seconds, only for tests/run-all to start the longest files first)
#
# Direct routing (ipvsadm -g), IPv4 and IPv6: rr alternation over TCP, UDP
# answered from the VIP, byte-exact transfers both ways with the replies
# bypassing the director (its OutPkts stay 0 and its interface receives a
# fraction of the downloaded bytes), the connection listing, a real server
# that is the director itself, an ICMP error about a connection passed on
# to its real server, and a route MTU towards a real server answered with
# "fragmentation needed". Each case runs against the stock module first,
# then ours, in the same boot, and the results are compared.
#
#   c 10.0.0.2 --+                 one Ethernet segment (tests/lib/lan.sh)
#   d 10.0.0.1 --+-- br0 --+-- r1 10.0.0.11 (VIP on lo)
#   VIP .100     |         +-- r2 10.0.0.12 (VIP on lo)
#   (and fd00::2, fd00::1, fd00::100, fd00::11, fd00::12)
. "$IPVSNG_TOP/tests/lib/vm.sh"
. "$IPVSNG_TOP/tests/lib/nat.sh"
. "$IPVSNG_TOP/tests/lib/lan.sh"

R=/tmp/dr
mkdir -p $R

case_rr() {
	local ph=$1 f=$2 vip seq out
	vip=$VIP; [ "$f" = 6 ] && vip=$VIP6
	lan_cleanup; lan_setup || { not_ok "$ph v$f: setup"; return; }
	servers tcp-server 80
	bg r1 python3 -S "$NATTOOL" udp-server r1 53
	bg r2 python3 -S "$NATTOOL" udp-server r2 53
	vs -A -t "$(svc $f 80)" -s rr
	vs -a -t "$(svc $f 80)" -r "$(rs $f 1 80)" -g
	vs -a -t "$(svc $f 80)" -r "$(rs $f 2 80)" -g
	seq=$(ns c timeout 60 python3 -S "$NATTOOL" tcp-get $vip 80 4 | tr '\n' ' ')
	echo "$seq" >$R/$ph.v$f.rr
	check "$ph v$f: DR rr alternates over 4 requests ($seq)" \
		bash -c "echo '$seq' | grep -Eq '^(r1 r2 r1 r2|r2 r1 r2 r1) $'"
	check "$ph v$f: 4 connections counted" wait_for conns 10 stat_is "$(svc $f 80)" 1 4
	check "$ph v$f: no packet came back through the director" out_pkts_zero "$(svc $f 80)"
	wait_for "connections settled" 10 conns_settled
	lnc_masked >$R/$ph.v$f.lnc
	check_eq "$ph v$f: 4 connection entries" 4 "$(wc -l <$R/$ph.v$f.lnc)"

	wait_for "udp servers" 20 listening r1 udp 53 && wait_for "udp" 20 listening r2 udp 53
	vs -A -u "$(svc $f 53)" -s rr
	vs -a -u "$(svc $f 53)" -r "$(rs $f 1 53)" -g
	vs -a -u "$(svc $f 53)" -r "$(rs $f 2 53)" -g
	out=$(ns c timeout 60 python3 -S "$NATTOOL" udp-ask $vip 53 50)
	check_eq "$ph v$f: 50 UDP datagrams answered from the VIP" "sent 50 recv 50" \
		"$(head -n1 <<<"$out")"
	check "$ph v$f: UDP 50 packets in" wait_for inpkts 10 stat_is "$(svc $f 53)" 2 50
	check "$ph v$f: UDP no packet out" out_pkts_zero "$(svc $f 53)"
	stats_stable >$R/$ph.v$f.stats
	# Bad input: a DR port other than the service's (ipvsadm keeps the
	# service's), GUE without a port, another family without a tunnel.
	vs -A -t "$(svc $f 81)" -s rr
	vs -a -t "$(svc $f 81)" -r "$(rs $f 1 8081)" -g
	{
		vs -a -t "$(svc $f 81)" -r "$(rs $f 2 81)" -i --tun-type gue; echo "rc $?"
		vs -a -t "$(svc $f 81)" -r "$(rs $((10 - f)) 2 81)" -g; echo "rc $?"
	} >$R/$ph.v$f.bad 2>&1
	vs -Ln >$R/$ph.v$f.ln
}

# 10 MB each way through one real server; the download must not cross d.
case_bulk() {
	local ph=$1 f=$2
	lan_cleanup; lan_setup || { not_ok "$ph v$f: setup"; return; }
	vs -A -t "$(svc $f 5001)" -s rr
	vs -a -t "$(svc $f 5001)" -r "$(rs $f 1 5001)" -g
	lan_bulk "$ph v$f: DR" $f
}

# The director is its own real server: the packet goes up its own stack.
case_local() {
	local ph=$1 f=$2 vip dir
	vip=$VIP dir=$DIR; [ "$f" = 6 ] && { vip=$VIP6; dir="[$DIR6]"; }
	lan_cleanup; lan_setup || { not_ok "$ph v$f: setup"; return; }
	bg d python3 -S "$NATTOOL" tcp-server d 8080
	wait_for "d server" 20 listening d tcp 8080
	vs -A -t "$(svc $f 8080)" -s rr
	vs -a -t "$(svc $f 8080)" -r "$dir:8080" -g
	check_eq "$ph v$f: real server on the director answers" "d d" \
		"$(ns c timeout 30 python3 -S "$NATTOOL" tcp-get $vip 8080 2 | tr '\n' ' ' | sed 's/ $//')"
}

# A router on the way back to us reports "too big" about a reply; it is
# the real server that must learn it.
case_icmp() {
	local ph=$1 f=$2 vip client who
	vip=$VIP client=$CLI; [ "$f" = 6 ] && { vip=$VIP6; client=$CLI6; }
	lan_cleanup; lan_setup || { not_ok "$ph v$f: setup"; return; }
	bg r1 python3 -S "$NATTOOL" udp-server r1 53
	wait_for "udp server" 20 listening r1 udp 53
	vs -A -u "$(svc $f 53)" -s rr
	vs -a -u "$(svc $f 53)" -r "$(rs $f 1 53)" -g
	who=$(ns c timeout 20 python3 -S "$ICMPERR" related $vip 53 1300)
	check_eq "$ph v$f: flow answered by r1" r1 "$who"
	check "$ph v$f: the ICMP error reached the real server (route MTU 1300)" \
		wait_for "r1 pmtu" 10 test "$(rcache_mtu r1 $client)" = 1300
	check "$ph v$f: the ICMP error counted in" wait_for inpkts 10 stat_is "$(svc $f 53)" 2 2
}

# A smaller route MTU from the director to the real server: full-size DF
# packets of the client are refused with "fragmentation needed" (IPv4) or
# "packet too big" (IPv6), the client learns the MTU and the transfer
# completes. The client sends one segment per packet (gso_max_segs 1), MTU-sized.
case_pmtu() {
	local ph=$1 f=$2
	lan_cleanup; lan_setup || { not_ok "$ph v$f: setup"; return; }
	lan_pmtu "$ph v$f" $f -g
	check_eq "$ph v$f: the client learned MTU 1400" 1400 "$LAN_PMTU"
}

# Ours only: the segment's switch namespace deleted first, taking the
# director's eth0 (a veth peer) with it while DR services hold cached
# routes through it; ours must let go of eth0, or no namespace cleanup
# completes and ip_vs never unloads (the unload check below). The stock
# module did hold eth0 forever after the whole sequence of DR cases above
# ended this way (twice, with two VMs busy); this case alone, or after the
# v6 PMTU case, did not make it leak.
case_switch_first() {
	local ph=$1 f seq
	lan_cleanup; lan_setup || { not_ok "$ph: setup"; return; }
	servers tcp-server 80
	for f in 4 6; do
		vs -A -t "$(svc $f 80)" -s rr
		vs -a -t "$(svc $f 80)" -r "$(rs $f 1 80)" -g
		vs -a -t "$(svc $f 80)" -r "$(rs $f 2 80)" -g
	done
	seq=$(ns c timeout 60 python3 -S "$NATTOOL" tcp-get $VIP 80 2 | tr '\n' ' ')
	seq+=$(ns c timeout 60 python3 -S "$NATTOOL" tcp-get $VIP6 80 2 | tr '\n' ' ')
	check "$ph: DR v4 and v6 rr answered before the switch goes ($seq)" \
		bash -c "echo '$seq' | grep -Eq '^((r1 r2|r2 r1) ){2}$'"
	ip netns del sw
	check "$ph: the director's eth0 goes with the switch's namespace" \
		wait_for "eth0 gone" 20 eth0_gone
	lan_cleanup
}

eth0_gone() {
	! ip -n d link show eth0 >/dev/null 2>&1
}

for ph in stock ours; do
	ipvs_phase $ph || { not_ok "load $ph module"; continue; }
	for f in 4 6; do
		case_rr $ph $f
		case_bulk $ph $f
		case_local $ph $f
		case_icmp $ph $f
		case_pmtu $ph $f
	done
	lan_cleanup
done

for f in 4 6; do
	check_same "stock and ours v$f: rr order" $R/stock.v$f.rr $R/ours.v$f.rr
	check_same "stock and ours v$f: ipvsadm -Ln" $R/stock.v$f.ln $R/ours.v$f.ln
	check_same "stock and ours v$f: bad input rejected alike" $R/stock.v$f.bad $R/ours.v$f.bad
	check_same "stock and ours v$f: ipvsadm -Ln --stats (UDP exact, TCP conns)" $R/stock.v$f.stats $R/ours.v$f.stats
	check_same "stock and ours v$f: ipvsadm -Lnc (ports, timers masked)" \
		$R/stock.v$f.lnc $R/ours.v$f.lnc
done
[ "$PHASE" = ours ] && case_switch_first ours
check "ours: ip_vs unloads" ipvs_unload
check "kernel log clean" kernel_clean
tap_done
