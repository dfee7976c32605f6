#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm-time: 61 (rough seconds, only for tests/run-all to start the longest files first)
#
# One-packet scheduling (-o) through the NAT data plane, stock module
# first, then ours, outputs compared:
#
#  - UDP service: 100 datagrams from one socket are each scheduled: rr
#    splits them 50/50 and no connection entry is left behind;
#  - UDP under a fwmark service (mark set by nftables): the same;
#  - with persistence as well: every datagram goes to one server and only
#    the template is listed;
#  - -o on a TCP service is refused by ipvsadm (ours and upstream alike).
#
#   ns c (client)          ns d (director, IPVS)             ns r1, r2
#   10.0.1.2 ---- veth ---- 10.0.1.1, VIP 10.0.1.100
#                           10.0.2.1 ------------ veth ---- 10.0.2.2 (r1)
#                           10.0.3.1 ------------ veth ---- 10.0.3.2 (r2)
. "$IPVSNG_TOP/tests/lib/vm.sh"
. "$IPVSNG_TOP/tests/lib/nat.sh"

R=/tmp/onepacket
mkdir -p $R

logged() {
	[ "$(cat $R/r1.log $R/r2.log 2>/dev/null | wc -l)" -ge "$1" ]
}

# per_server: "r1 N r2 M" from the servers' logs.
per_server() {
	echo "r1 $(wc -l <$R/r1.log) r2 $(wc -l <$R/r2.log)"
}

# send N PORT: N datagrams from one socket; wait for the servers to log them.
send() {
	: >$R/r1.log
	: >$R/r2.log
	ns c timeout 60 python3 -S "$NATTOOL" udp-send $VIP "$2" "$1" >/dev/null
	wait_for "$1 datagrams logged" 20 logged "$1"
}

log_servers() {
	bg r1 python3 -S "$NATTOOL" udp-log r1 "$1" $R/r1.log
	bg r2 python3 -S "$NATTOOL" udp-log r2 "$1" $R/r2.log
	wait_for "r1 udp-log" 20 listening r1 udp "$1" &&
	wait_for "r2 udp-log" 20 listening r2 udp "$1"
}

case_ops() {
	local ph=$1
	nat_cleanup
	{ nat_setup && log_servers 53; } || { not_ok "$ph: setup"; return; }
	local ipvsadm out
	for ipvsadm in "$STOCK_IPVSADM" "$OUR_IPVSADM"; do
		out=$(ns d "$ipvsadm" -A -t $VIP:80 -o 2>&1; echo "status $?")
		check_eq "$ph: $ipvsadm refuses -o on TCP" \
			"One-Packet Scheduling is only for UDP virtual services status 2" \
			"$(echo $out)"
	done
	check_eq "$ph: nothing was added" "" "$(vs -Ln | tail -n +4)"
	vs -A -u $VIP:53 -s rr -o
	vs -a -u $VIP:53 -r $RS1:53 -m
	vs -a -u $VIP:53 -r $RS2:53 -m
	check "$ph: 100 datagrams delivered" send 100 53
	check_eq "$ph: each datagram scheduled: rr splits them" "r1 50 r2 50" "$(per_server)"
	check_eq "$ph: no connection entry kept" 0 "$(conns_in_table)"
	# The stock module publishes its counters every 2 s: wait for them.
	check "$ph: 100 connections counted" wait_for conns 10 stat_is $VIP:53 1 100
	vs -Ln --stats --exact >$R/$ph.stats

	# Through a fwmark service.
	vs -D -u $VIP:53
	ns d nft add table ip opsmark
	ns d nft add chain ip opsmark pre '{ type filter hook prerouting priority mangle; }'
	ns d nft add rule ip opsmark pre ip daddr $VIP udp dport 53 meta mark set 5
	vs -A -f 5 -s rr -o
	vs -a -f 5 -r $RS1 -m
	vs -a -f 5 -r $RS2 -m
	check "$ph: fwmark: 100 datagrams delivered" send 100 53
	check_eq "$ph: fwmark: each datagram scheduled" "r1 50 r2 50" "$(per_server)"
	check_eq "$ph: fwmark: no connection entry kept" 0 "$(conns_in_table)"
	check "$ph: fwmark: 100 connections counted" wait_for conns 10 stat_is 5 1 100
	vs -Ln --stats --exact >$R/$ph.fwm.stats
	vs -D -f 5

	# Persistent and one-packet: one server, only the template remains.
	vs -A -u $VIP:53 -s rr -o -p 30
	vs -a -u $VIP:53 -r $RS1:53 -m
	vs -a -u $VIP:53 -r $RS2:53 -m
	check "$ph: persistent: 20 datagrams delivered" send 20 53
	check "$ph: persistent: all to one server" \
		test "$(per_server)" = "r1 20 r2 0" -o "$(per_server)" = "r1 0 r2 20"
	vs -Lnc | awk 'NR > 2 { print $1, $3, $4, $5 }' >$R/$ph.persist.lnc
	check_eq "$ph: persistent: only the template listed" 1 "$(wc -l <$R/$ph.persist.lnc)"
}

for ph in stock ours; do
	ipvs_phase $ph || { not_ok "load $ph module"; continue; }
	case_ops $ph
	nat_cleanup
done

phases_done $R stats fwm.stats persist.lnc
