#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm-time: 101 (rough seconds, only for tests/run-all to start the longest files first)
#
# IPv6 through the NAT data plane: TCP scheduling order and a byte exact
# transfer, UDP request/response with exact counters, 20 KB (fragmented)
# datagrams and ICMPv6 port unreachable translated back to the VIP.
# Reference phase with the stock module first, then ours.
#
#   ns c (client)            ns d (director, IPVS)              ns r1, r2
#   fd00:1::2 ---- veth ---- fd00:1::1, VIP fd00:1::100
#                            fd00:2::1 ------------ veth ---- fd00:2::2 (r1)
#                            fd00:3::1 ------------ veth ---- fd00:3::2 (r2)
. "$IPVSNG_TOP/tests/lib/vm.sh"
. "$IPVSNG_TOP/tests/lib/nat.sh"

R=/tmp/nat-ipv6
mkdir -p $R

case_tcp6() {
	local ph=$1 seq f=/tmp/nat6-src.bin
	nat_cleanup; nat_setup || { not_ok "$ph: setup"; return; }
	servers tcp-server 80
	vs -A -t [$VIP6]:80 -s rr
	vs -a -t [$VIP6]:80 -r [$RS1_6]:80 -m
	vs -a -t [$VIP6]:80 -r [$RS2_6]:80 -m
	seq=$(ns c timeout 60 python3 -S "$NATTOOL" tcp-get $VIP6 80 4 | tr '\n' ' ')
	echo "$seq" >$R/$ph.rr
	check "$ph: IPv6 rr alternates ($seq)" \
		bash -c "echo '$seq' | grep -Eq '^(r1 r2 r1 r2|r2 r1 r2 r1) $'"
	check "$ph: IPv6 4 connections counted" wait_for conns 10 stat_is "[$VIP6]:80" 1 4

	[ -f $f ] || head -c 10000000 /dev/urandom >$f
	vs -A -t [$VIP6]:5001 -s rr
	vs -a -t [$VIP6]:5001 -r [$RS1_6]:5001 -m
	rm -f /tmp/nat6-up.bin /tmp/nat6-down.bin
	bg r1 socat -u TCP6-LISTEN:5001,reuseaddr OPEN:/tmp/nat6-up.bin,creat,trunc
	wait_for "upload listener" 20 listening r1 tcp 5001
	ns c timeout 120 socat -u OPEN:$f TCP6:[$VIP6]:5001
	wait_for "upload complete" 60 test "$(stat -c %s /tmp/nat6-up.bin 2>/dev/null)" = 10000000
	check "$ph: IPv6 10 MB upload identical (cmp)" cmp -s $f /tmp/nat6-up.bin
	bg r1 socat -u OPEN:$f TCP6-LISTEN:5001,reuseaddr
	wait_for "download listener" 20 listening r1 tcp 5001
	ns c timeout 120 socat -u TCP6:[$VIP6]:5001 OPEN:/tmp/nat6-down.bin,creat,trunc
	check "$ph: IPv6 10 MB download identical (cmp)" cmp -s $f /tmp/nat6-down.bin
	rm -f /tmp/nat6-up.bin /tmp/nat6-down.bin
}

case_udp6() {
	local ph=$1 out
	nat_cleanup; nat_setup || { not_ok "$ph: setup"; return; }
	servers udp-server 53
	vs -A -u [$VIP6]:53 -s rr
	vs -a -u [$VIP6]:53 -r [$RS1_6]:53 -m
	vs -a -u [$VIP6]:53 -r [$RS2_6]:53 -m
	out=$(ns c timeout 120 python3 -S "$NATTOOL" udp-ask $VIP6 53 300)
	check_eq "$ph: IPv6 300 UDP datagrams answered" "sent 300 recv 300" "$(head -n1 <<<"$out")"
	check "$ph: IPv6 counters: 300 packets in" wait_for inpkts 10 stat_is "[$VIP6]:53" 2 300
	check "$ph: IPv6 counters: 300 packets out" wait_for outpkts 10 stat_is "[$VIP6]:53" 3 300
	vs -Ln --stats --exact >$R/$ph.stats
	out=$(ns c timeout 60 python3 -S "$NATTOOL" udp-ask $VIP6 53 5 20000)
	check_eq "$ph: IPv6 20 KB datagrams (fragmented) answered" "sent 5 recv 5" \
		"$(head -n1 <<<"$out")"
	vs -A -u [$VIP6]:9999 -s rr
	vs -a -u [$VIP6]:9999 -r [$RS1_6]:9999 -m
	check_eq "$ph: ICMPv6 port unreachable reaches the client" refused \
		"$(ns c timeout 20 python3 -S "$NATTOOL" udp-refused $VIP6 9999)"
}

for ph in stock ours; do
	ipvs_phase $ph || { not_ok "load $ph module"; continue; }
	case_tcp6 $ph
	case_udp6 $ph
	nat_cleanup
done

check_same "stock and ours: IPv6 rr order" $R/stock.rr $R/ours.rr
check_same "stock and ours: IPv6 UDP counters" $R/stock.stats $R/ours.stats
check "ours: ip_vs unloads" ipvs_unload
check "kernel log clean" kernel_clean
tap_done
