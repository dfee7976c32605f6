#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm-time: 110 (rough seconds, only for tests/run-all to start the longest files first)
#
# IPv4 UDP through the NAT data plane: 1,000 request/response datagrams with
# exact packet counters, a 20 KB datagram (fragmented on the wire, so
# reassembled by the director), an ICMP port unreachable from a real
# server that must reach the client translated back to the VIP, and the TTL
# decrement of the director's hop. Reference phase with the stock module
# first, then ours.
#
#   ns c (client)          ns d (director, IPVS)             ns r1, r2
#   10.0.1.2 ---- veth ---- 10.0.1.1, VIP 10.0.1.100
#                           10.0.2.1 ------------ veth ---- 10.0.2.2 (r1)
#                           10.0.3.1 ------------ veth ---- 10.0.3.2 (r2)
. "$IPVSNG_TOP/tests/lib/vm.sh"
. "$IPVSNG_TOP/tests/lib/nat.sh"

R=/tmp/nat-udp
mkdir -p $R

case_udp() {
	local ph=$1 out
	nat_cleanup; nat_setup || { not_ok "$ph: setup"; return; }
	servers udp-server 53
	vs -A -u $VIP:53 -s rr
	vs -a -u $VIP:53 -r $RS1:53 -m
	vs -a -u $VIP:53 -r $RS2:53 -m
	out=$(ns c timeout 120 python3 -S "$NATTOOL" udp-ask $VIP 53 1000)
	check_eq "$ph: 1000 UDP datagrams answered" "sent 1000 recv 1000" "$(head -n1 <<<"$out")"
	# One socket is one connection: one server got all of them.
	check_eq "$ph: one connection, one server" 1 "$(tail -n +2 <<<"$out" | wc -l)"
	check "$ph: counters: 1 connection" wait_for conns 10 stat_is $VIP:53 1 1
	check "$ph: counters: 1000 packets in" wait_for inpkts 10 stat_is $VIP:53 2 1000
	check "$ph: counters: 1000 packets out" wait_for outpkts 10 stat_is $VIP:53 3 1000
	# 1000 requests of 4 bytes: 1000 * (20 + 8 + 4) bytes in.
	check "$ph: counters: bytes in" wait_for inbytes 10 stat_is $VIP:53 4 32000
	vs -Ln --stats --exact >$R/$ph.stats
	check_eq "$ph: UDP connection listed" "UDP" "$(vs -Lnc | awk 'NR == 3 { print $1 }')"
	vs -Lnc | awk 'NR > 2 { print $1, $3, $5, $6 }' >$R/$ph.lnc

	# 20 KB datagrams: fragmented by the client, by the server.
	out=$(ns c timeout 60 python3 -S "$NATTOOL" udp-ask $VIP 53 5 20000)
	check_eq "$ph: 20 KB datagrams (fragmented) answered" "sent 5 recv 5" \
		"$(head -n1 <<<"$out")"

	# Zeroing resets the counters. The stock module zeroes against the
	# totals its estimator last folded in (every 2 s), so wait until the
	# five reassembled datagrams show before zeroing, or they reappear.
	check "$ph: reassembled datagrams counted once each" \
		wait_for inpkts 10 stat_is $VIP:53 2 1005
	vs -Z
	check "$ph: -Z zeroes the counters" wait_for zero 10 stat_is $VIP:53 2 0
}

rate_field_positive() {
	local v
	v=$(vs -Ln --rate --exact | awk -v s="$1" -v f="$2" '$2 == s { print $(f + 2); exit }')
	[ "${v:-0}" -gt 0 ]
}

# The estimator: rates show while traffic flows.
case_rate() {
	local ph=$1 pid
	nat_cleanup; nat_setup || { not_ok "$ph: setup"; return; }
	servers udp-server 53
	vs -A -u $VIP:53 -s rr
	vs -a -u $VIP:53 -r $RS1:53 -m
	ns c timeout 60 python3 -S "$NATTOOL" udp-ask $VIP 53 20000 >/dev/null &
	pid=$!
	check "$ph: --rate shows incoming packets per second" wait_for inpps 20 \
		rate_field_positive $VIP:53 2
	check "$ph: --rate shows outgoing bytes per second" wait_for outbps 20 \
		rate_field_positive $VIP:53 5
	kill $pid 2>/dev/null
	wait $pid 2>/dev/null
}

case_icmp() {
	local ph=$1
	nat_cleanup; nat_setup || { not_ok "$ph: setup"; return; }
	# Nothing listens on 9999 on the real server: it answers port unreachable.
	vs -A -u $VIP:9999 -s rr
	vs -a -u $VIP:9999 -r $RS1:9999 -m
	check_eq "$ph: ICMP port unreachable reaches the client" refused \
		"$(ns c timeout 20 python3 -S "$NATTOOL" udp-refused $VIP 9999)"
	# No real server at all: the director itself answers unreachable.
	vs -A -u $VIP:9998 -s rr
	check_eq "$ph: no real server: port unreachable" refused \
		"$(ns c timeout 20 python3 -S "$NATTOOL" udp-refused $VIP 9998)"
}

# The director is a forwarding hop for NAT, as upstream: the TTL goes down
# by one, so a datagram that arrives with TTL 1 expires there.
case_ttl() {
	local ph=$1
	nat_cleanup; nat_setup || { not_ok "$ph: setup"; return; }
	servers udp-server 53
	vs -A -u $VIP:53 -s rr
	vs -a -u $VIP:53 -r $RS1:53 -m
	check_eq "$ph: TTL 1: time exceeded from the director" expired \
		"$(ns c timeout 20 python3 -S "$NATTOOL" udp-ttl $VIP 53 1)"
	check_eq "$ph: TTL 2: answered" answered \
		"$(ns c timeout 20 python3 -S "$NATTOOL" udp-ttl $VIP 53 2)"
}

for ph in stock ours; do
	ipvs_phase $ph || { not_ok "load $ph module"; continue; }
	case_udp $ph
	case_icmp $ph
	case_ttl $ph
	case_rate $ph
	nat_cleanup
done

check_same "stock and ours: ipvsadm -Ln --stats --exact" $R/stock.stats $R/ours.stats
check_same "stock and ours: ipvsadm -Lnc (ports, timers masked)" $R/stock.lnc $R/ours.lnc
check "ours: ip_vs unloads" ipvs_unload
check "kernel log clean" kernel_clean
tap_done
