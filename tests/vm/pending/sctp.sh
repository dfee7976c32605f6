#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# SCTP services (--sctp-service) through the NAT data plane, IPv4 and IPv6,
# stock module first, then ours, outputs compared:
#
#  - associations alternate between the servers under rr, 64 KB of random
#    data each echoed back and compared;
#  - the real servers listen on another port than the service (5001 vs
#    5000), so every packet's port is rewritten and its CRC32c recomputed:
#    the CRC of every SCTP packet the real server and the client receive is
#    checked;
#  - the association's states as "ipvsadm -Lnc" lists them while it is
#    up (ESTABLISHED) and after it closed.
#
#   ns c (client)          ns d (director, IPVS)             ns r1, r2
#   10.0.1.2 ---- veth ---- 10.0.1.1, VIP 10.0.1.100
#   fd00:1::2               fd00:1::100
#                           10.0.2.1 ------------ veth ---- 10.0.2.2 (r1)
#                           10.0.3.1 ------------ veth ---- 10.0.3.2 (r2)
. "$IPVSNG_TOP/tests/lib/vm.sh"
. "$IPVSNG_TOP/tests/lib/nat.sh"

R=/tmp/sctp
mkdir -p $R

# watching FILE...: every CRC watcher writing to FILE... has started.
watching() {
	local f
	for f; do
		grep -q watching "$f" || return 1
	done
}

established() {
	vs -Lnc | grep -q ESTABLISHED
}

case_sctp() {
	local ph=$1 v=$2 vip=$VIP host=$VIP rs1=$RS1 rs2=$RS2 a1=$RS1 cl=$CL1 out
	if [ "$v" = v6 ]; then
		vip=[$VIP6] host=$VIP6 rs1=[$RS1_6] rs2=[$RS2_6] a1=$RS1_6 cl=$CL1_6
	fi
	vs -A --sctp-service $vip:5000 -s rr
	vs -a --sctp-service $vip:5000 -r $rs1:5001 -m
	vs -a --sctp-service $vip:5000 -r $rs2:5001 -m

	local w1 w2 h
	ns r1 timeout 60 python3 "$NATTOOL" sctp-crc veth-r1 12 $a1 >$R/$ph.$v.crc-r1 &
	w1=$!
	ns c timeout 60 python3 "$NATTOOL" sctp-crc veth-c 12 $cl >$R/$ph.$v.crc-c &
	w2=$!
	wait_for "crc watchers" 20 watching $R/$ph.$v.crc-r1 $R/$ph.$v.crc-c
	out=$(ns c timeout 60 python3 "$NATTOOL" sctp-get $host 5000 4 65536 | sort | uniq -c |
		awk '{ print $2, $3, $1 }' | tr '\n' ' ')
	check_eq "$ph $v: 4 associations, data echoed intact, rr alternates" \
		"r1 ok 2 r2 ok 2 " "$out"
	wait $w1 $w2
	check "$ph $v: real server: every CRC32c right ($(tail -n1 $R/$ph.$v.crc-r1))" \
		grep -q '^sctp [1-9][0-9]* bad 0$' $R/$ph.$v.crc-r1
	check "$ph $v: client: every CRC32c right ($(tail -n1 $R/$ph.$v.crc-c))" \
		grep -q '^sctp [1-9][0-9]* bad 0$' $R/$ph.$v.crc-c
	vs -Lnc | awk 'NR > 2 { print $1, $3 }' | sort | uniq -c >$R/$ph.$v.closed

	# An association held open shows ESTABLISHED.
	ns c timeout 60 python3 -c "
import socket, time
c = socket.socket(socket.AF_INET6 if ':' in '$host' else socket.AF_INET,
                  socket.SOCK_STREAM, socket.IPPROTO_SCTP)
c.connect(('$host', 5000))
c.recv(100)
time.sleep(4)
" &
	h=$!
	check "$ph $v: a live association is ESTABLISHED" wait_for established 20 established
	wait $h
	wait_for conns 10 stat_is $vip:5000 1 5 ||
		diag "$(vs -Ln --stats --exact)"
	check_eq "$ph $v: 5 associations counted" 5 "$(stat_field $vip:5000 1)"
	vs -Ln --stats --exact | awk '$1 == "SCTP" || $1 == "->" { print $1, $2, $3 }' \
		>$R/$ph.$v.stats
	vs -D --sctp-service $vip:5000
}

modprobe sctp || { skip "no sctp module in the guest kernel"; tap_done; exit; }
for ph in stock ours; do
	ipvs_phase $ph || { not_ok "load $ph module"; continue; }
	nat_cleanup
	nat_setup || { not_ok "$ph: setup"; continue; }
	bg r1 python3 "$NATTOOL" sctp-server r1 5001 $RS1
	bg r1 python3 "$NATTOOL" sctp-server r1 5001 $RS1_6
	bg r2 python3 "$NATTOOL" sctp-server r2 5001 $RS2
	bg r2 python3 "$NATTOOL" sctp-server r2 5001 $RS2_6
	wait_for "r1 sctp" 20 listening r1 sctp 5001 && wait_for "r2 sctp" 20 listening r2 sctp 5001 ||
		not_ok "$ph: sctp servers"
	case_sctp $ph v4
	case_sctp $ph v6
	nat_cleanup
done

phases_done $R v4.closed v4.stats v6.closed v6.stats
