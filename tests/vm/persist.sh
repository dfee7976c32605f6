#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm-time: 137 (rough seconds, only for tests/run-all to start the longest files first)
#
# Persistence (-p, -M) through the NAT data plane, IPv4 and IPv6, each case
# run against the stock module first and then ours, outputs compared:
#
#  - 20 TCP connections from one client land on one real server; a client
#    of the same network (-M 255.255.255.0, or prefix length 64) lands on
#    the same one, a client of another network on the other one (rr);
#  - the templates as "ipvsadm -Lnc" lists them, and PersistConn;
#  - weight 0: the template keeps pinning unless expire_quiescent_template
#    is set, in which case it is invalidated (ports 65535) and the client
#    rescheduled;
#  - UDP: a template expires after the persistence timeout once its
#    connections are gone (the client is then scheduled afresh), and is
#    re-armed for 60 s while a connection still lives.
#
#   ns c (client)                      ns d (director, IPVS)       ns r1, r2
#   10.0.1.2, 10.0.1.3, 10.0.5.2 ----- 10.0.1.1, 10.0.5.1
#   fd00:1::2, fd00:1::3, fd00:5::2    VIP 10.0.1.100, fd00:1::100
#                                      10.0.2.1 --------------- 10.0.2.2 (r1)
#                                      10.0.3.1 --------------- 10.0.3.2 (r2)
. "$IPVSNG_TOP/tests/lib/vm.sh"
. "$IPVSNG_TOP/tests/lib/nat.sh"

R=/tmp/persist
mkdir -p $R

other() {
	if [ "$1" = r1 ]; then echo r2; else echo r1; fi
}

is_server() {
	[ "$1" = r1 ] || [ "$1" = r2 ]
}

no_templates() {
	[ -z "$(templates)" ]
}

# tmpl_rearmed SOURCE: the template of SOURCE has more than 50 s left.
tmpl_rearmed() {
	[ "$(tmpl_secs "$1")" -gt 50 ] 2>/dev/null
}

# case_tcp PHASE v4|v6: stickiness, netmask grouping, quiescent servers.
case_tcp() {
	local ph=$1 v=$2 vip=$VIP rs1=$RS1 rs2=$RS2 c1=$CL1 c2=$CL2 c3=$CL3 mask=255.255.255.0
	local s1 s2 s3 a1=$RS1 a2=$RS2 as1
	if [ "$v" = v6 ]; then
		vip=[$VIP6] rs1=[$RS1_6] rs2=[$RS2_6] c1=$CL1_6 c2=$CL2_6 c3=$CL3_6 mask=64
		a1=$RS1_6 a2=$RS2_6
	fi
	nat_cleanup
	{ nat_setup && nat_add_clients; } || { not_ok "$ph $v: setup"; return; }
	servers tcp-server 80
	vs -A -t $vip:80 -s rr -p 60 -M $mask
	vs -a -t $vip:80 -r $rs1:80 -m
	vs -a -t $vip:80 -r $rs2:80 -m
	local host=${vip#[}
	host=${host%]}

	s1=$(server_of "$host" 80 20 $c1)
	check "$ph $v: 20 connections from one client reach one server ($s1)" is_server "$s1"
	s2=$(server_of "$host" 80 20 $c2)
	check_eq "$ph $v: a client of the same network, same server" "$s1" "$s2"
	s3=$(server_of "$host" 80 20 $c3)
	check_eq "$ph $v: a client of another network, the other server" "$(other "$s1")" "$s3"
	# Server addresses named by role, so phases compare whatever rr began with.
	as1=$a1
	[ "$s1" = r2 ] && as1=$a2
	templates | sed "s/$as1/S1/g; s/$a1/S3/g; s/$a2/S3/g" >$R/$ph.$v.tmpl
	check_eq "$ph $v: two templates listed" 2 "$(wc -l <$R/$ph.$v.tmpl)"
	# PersistConn per server (the connection counters depend on timing).
	vs -Ln --persistent-conn | awk '$1 == "->" { print $2, $3, $4 }' |
		sed "s/$as1/S1/g; s/$a1/S3/g; s/$a2/S3/g" >$R/$ph.$v.pconn

	if [ "$s1" = r1 ]; then
		vs -e -t $vip:80 -r $rs1:80 -m -w 0
	else
		vs -e -t $vip:80 -r $rs2:80 -m -w 0
	fi
	check_eq "$ph $v: weight 0, expire_quiescent_template=0: still pinned" "$s1" \
		"$(server_of "$host" 80 3 $c1)"
	ns d sysctl -qw net.ipv4.vs.expire_quiescent_template=1
	check_eq "$ph $v: weight 0, expire_quiescent_template=1: rescheduled" "$(other "$s1")" \
		"$(server_of "$host" 80 3 $c1)"
	templates >$R/$ph.$v.quiescent
	check "$ph $v: the quiescent template is invalidated (ports 65535)" \
		grep -q ':65535 .*:65535$' $R/$ph.$v.quiescent
	sed -i "s/$as1/S1/g; s/$a1/S3/g; s/$a2/S3/g" $R/$ph.$v.quiescent
}

# case_udp PHASE: template expiry, and re-arming while a connection lives.
case_udp() {
	local ph=$1 out s1 s2
	nat_cleanup
	{ nat_setup && nat_add_clients; } || { not_ok "$ph udp: setup"; return; }
	servers udp-server 53
	vs --set 0 0 2
	vs -A -u $VIP:53 -s rr -p 3
	vs -a -u $VIP:53 -r $RS1:53 -m
	vs -a -u $VIP:53 -r $RS2:53 -m

	out=$(ns c timeout 30 python3 -S "$NATTOOL" udp-ask $VIP 53 5 0 $CL1)
	s1=$(awk 'NR == 2 && $2 == 5 { print $1 }' <<<"$out")
	check "$ph udp: 5 datagrams answered by one server ($s1)" is_server "$s1"
	check_eq "$ph udp: an answered template is ASSURED" "UDP ASSURED $CL1:0 $VIP:53" \
		"$(templates | cut -d' ' -f1-4)"
	check "$ph udp: the template expires after the timeout" wait_for "template gone" 20 \
		no_templates
	out=$(ns c timeout 30 python3 -S "$NATTOOL" udp-ask $VIP 53 5 0 $CL1)
	s2=$(awk 'NR == 2 && $2 == 5 { print $1 }' <<<"$out")
	check_eq "$ph udp: after expiry the client is scheduled afresh" "$(other "$s1")" "$s2"

	# A connection outliving the persistence timeout keeps its template.
	vs --set 0 0 30
	ns c timeout 30 python3 -S "$NATTOOL" udp-ask $VIP 53 1 0 $CL3 >/dev/null
	check "$ph udp: a template with a live connection is re-armed for 60 s" \
		wait_for "template re-armed" 15 tmpl_rearmed $CL3:0
}

# An unknown persistence engine is refused, nothing added.
case_pe() {
	local ph=$1
	{ "$IPVSADM" -A -u $VIP:5060 -s rr -p 60 --pe nosuch; echo "status $?"; } >$R/$ph.pe 2>&1
	"$IPVSADM" -Ln | tail -n +4 >>$R/$ph.pe
	check "$ph: --pe nosuch refused" grep -q "status [1-9]" $R/$ph.pe
}

for ph in stock ours; do
	ipvs_phase $ph || { not_ok "load $ph module"; continue; }
	case_pe $ph
	case_tcp $ph v4
	case_tcp $ph v6
	case_udp $ph
	nat_cleanup
done

phases_done $R pe v4.tmpl v4.pconn v4.quiescent v6.tmpl v6.pconn v6.quiescent
