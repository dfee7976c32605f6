#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm-time: 150 (rough seconds, only for tests/run-all to start the longest files first)
#
# SCTP services (--sctp-service) through NAT and direct routing, IPv4 and
# IPv6, stock module first, then ours, outputs compared:
#
#  - associations alternate between the servers under rr, 64 KB of random
#    data each echoed back and compared;
#  - the real servers listen on another port than the service (5001 vs
#    5000), so every packet's port is rewritten and its CRC32c recomputed:
#    the CRC of every SCTP packet the real server and the client receive is
#    checked;
#  - the association's states as "ipvsadm -Lnc" lists them while it is
#    up (ESTABLISHED) and after it closed;
#  - DR (-g): associations alternate, data echoed intact, no packet comes
#    back through the director, states and counters as stock's.
#
# NAT (tests/lib/nat.sh):
#   ns c (client)          ns d (director, IPVS)             ns r1, r2
#   10.0.1.2 ---- veth ---- 10.0.1.1, VIP 10.0.1.100
#   fd00:1::2               fd00:1::100
#                           10.0.2.1 ------------ veth ---- 10.0.2.2 (r1)
#                           10.0.3.1 ------------ veth ---- 10.0.3.2 (r2)
# DR: one Ethernet segment (tests/lib/lan.sh), the VIP on the real
# servers' lo:
#   c 10.0.0.2, d 10.0.0.1 (VIP .100), r1 10.0.0.11, r2 10.0.0.12
#   (and fd00::2, fd00::1, fd00::100, fd00::11, fd00::12)
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

	# The watchers run until the associations are done (stop file).
	local w1 w2 h stop=$R/$ph.$v.stop
	rm -f $stop
	ns r1 timeout 90 python3 -S "$NATTOOL" sctp-crc veth-r1 80 $a1 $stop >$R/$ph.$v.crc-r1 &
	w1=$!
	ns c timeout 90 python3 -S "$NATTOOL" sctp-crc veth-c 80 $cl $stop >$R/$ph.$v.crc-c &
	w2=$!
	wait_for "crc watchers" 20 watching $R/$ph.$v.crc-r1 $R/$ph.$v.crc-c
	out=$(sctp_assoc $host)
	check_eq "$ph $v: 4 associations, data echoed intact, rr alternates" \
		"r1 ok 2 r2 ok 2 " "$out"
	touch $stop
	wait $w1 $w2
	check "$ph $v: real server: every CRC32c right ($(tail -n2 $R/$ph.$v.crc-r1 | tr '\n' ' '))" \
		grep -q '^sctp [1-9][0-9]* bad 0$' $R/$ph.$v.crc-r1
	check "$ph $v: client: every CRC32c right ($(tail -n2 $R/$ph.$v.crc-c | tr '\n' ' '))" \
		grep -q '^sctp [1-9][0-9]* bad 0$' $R/$ph.$v.crc-c
	vs -Lnc | awk 'NR > 2 { print $1, $3 }' | sort | uniq -c >$R/$ph.$v.closed

	# An association held open shows ESTABLISHED.
	ns c timeout 60 python3 -S -c "
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

# sctp_assoc HOST: 4 associations of 64 KB each, "name ok|bad count" lines.
sctp_assoc() {
	ns c timeout 60 python3 -S "$NATTOOL" sctp-get "$1" 5000 4 65536 | sort | uniq -c |
		awk '{ print $2, $3, $1 }' | tr '\n' ' '
}

# DR: the real servers own the VIP and answer on the service's port.
case_sctp_dr() {
	local ph=$1 f=$2 vip=$VIP host=$VIP out
	[ "$f" = 6 ] && vip=[$VIP6] host=$VIP6
	vs -A --sctp-service $vip:5000 -s rr
	vs -a --sctp-service $vip:5000 -r "$(rs $f 1 5000)" -g
	vs -a --sctp-service $vip:5000 -r "$(rs $f 2 5000)" -g
	out=$(sctp_assoc $host)
	check_eq "$ph DR v$f: 4 associations, data echoed intact, rr alternates" \
		"r1 ok 2 r2 ok 2 " "$out"
	check "$ph DR v$f: 4 associations counted" wait_for conns 10 stat_is $vip:5000 1 4
	check "$ph DR v$f: no packet came back through the director" out_pkts_zero $vip:5000
	vs -Lnc | awk 'NR > 2 { print $1, $3, $5, $6 }' | sort | uniq -c >$R/$ph.dr$f.lnc
	vs -Ln --stats --exact | awk '$1 == "SCTP" || $1 == "->" { print $1, $2, $3 }' \
		>$R/$ph.dr$f.stats
	vs -D --sctp-service $vip:5000
}

modprobe sctp || { skip "no sctp module in the guest kernel"; tap_done; exit; }
for ph in stock ours; do
	ipvs_phase $ph || { not_ok "load $ph module"; continue; }
	nat_cleanup
	nat_setup || { not_ok "$ph: setup"; continue; }
	bg r1 python3 -S "$NATTOOL" sctp-server r1 5001 $RS1
	bg r1 python3 -S "$NATTOOL" sctp-server r1 5001 $RS1_6
	bg r2 python3 -S "$NATTOOL" sctp-server r2 5001 $RS2
	bg r2 python3 -S "$NATTOOL" sctp-server r2 5001 $RS2_6
	wait_for "r1 sctp" 20 listening r1 sctp 5001 && wait_for "r2 sctp" 20 listening r2 sctp 5001 ||
		not_ok "$ph: sctp servers"
	case_sctp $ph v4
	case_sctp $ph v6
	nat_cleanup
done

# From here on the LAN's addresses replace the NAT ones.
. "$IPVSNG_TOP/tests/lib/lan.sh"
for ph in stock ours; do
	ipvs_phase $ph || { not_ok "load $ph module"; continue; }
	lan_cleanup
	lan_setup || { not_ok "$ph DR: setup"; continue; }
	for n in r1 r2; do
		bg $n python3 -S "$NATTOOL" sctp-server $n 5000 $VIP
		bg $n python3 -S "$NATTOOL" sctp-server $n 5000 $VIP6
	done
	wait_for "r1 sctp" 20 listening r1 sctp 5000 && wait_for "r2 sctp" 20 listening r2 sctp 5000 ||
		not_ok "$ph DR: sctp servers"
	case_sctp_dr $ph 4
	case_sctp_dr $ph 6
	lan_cleanup
done

phases_done $R v4.closed v4.stats v6.closed v6.stats dr4.lnc dr4.stats dr6.lnc dr6.stats
