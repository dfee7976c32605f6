#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm-time: 92 (rough seconds, only for tests/run-all to start the longest files first)
#
# Firewall-mark services (-f) through the NAT data plane, IPv4 (marks set
# by nftables) and IPv6 (marks set by ip6tables), stock module first, then
# ours, outputs compared:
#
#  - a non-persistent mark covering ports 80 and 443: connections
#    alternate between the servers under rr, each reaching the port it asked;
#  - the same mark persistent (the classic http+https stickiness): both
#    ports of one client reach one server, another client network the
#    other one; the single <IPPROTO_IP, fwmark> template as -Lnc lists it;
#  - a persistent port-zero TCP service does the same for every port.
#
#   ns c (client)           ns d (director: marks, IPVS)        ns r1, r2
#   10.0.1.2, 10.0.5.2 ---- VIP 10.0.1.100, fd00:1::100
#   fd00:1::2, fd00:5::2    10.0.2.1 ------------------------- 10.0.2.2 (r1)
#                           10.0.3.1 ------------------------- 10.0.3.2 (r2)
. "$IPVSNG_TOP/tests/lib/vm.sh"
. "$IPVSNG_TOP/tests/lib/nat.sh"

R=/tmp/fwmark
mkdir -p $R

# Name servers on both ports of both real servers.
two_port_servers() {
	bg r1 python3 -S "$NATTOOL" tcp-server r1-443 443
	bg r2 python3 -S "$NATTOOL" tcp-server r2-443 443
	servers tcp-server 80 &&
	wait_for "r1 443" 20 listening r1 tcp 443 &&
	wait_for "r2 443" 20 listening r2 tcp 443
}

# Mark 1: IPv4 VIP ports 80 and 443 (nftables); mark 2: the same for IPv6
# (ip6tables).
marks() {
	ns d nft -f - <<-NFT || return 1
	table ip ipvsmark {
		chain pre {
			type filter hook prerouting priority mangle;
			ip daddr $VIP tcp dport { 80, 443 } meta mark set 1
		}
	}
	NFT
	ns d ip6tables -t mangle -A PREROUTING -d $VIP6 -p tcp -m multiport --dports 80,443 \
		-j MARK --set-mark 2
}

# hist HOST PORT N [SRC]: "name count" lines of N connections.
hist() {
	ns c timeout 60 python3 -S "$NATTOOL" tcp-get "$@" | sort | uniq -c |
		awk '{ print $2, $1 }' | tr '\n' ' '
}

case_fwmark() {
	local ph=$1 v=$2 mark=1 host=$VIP rs1=$RS1 rs2=$RS2 c1=$CL1 c3=$CL3 fam= sf=1
	local a b s80 s443 s3
	if [ "$v" = v6 ]; then
		mark=2 host=$VIP6 rs1=$RS1_6 rs2=$RS2_6 c1=$CL1_6 c3=$CL3_6 fam=-6 sf=2
	fi
	vs -A -f $mark $fam -s rr
	vs -a -f $mark $fam -r $rs1 -m
	vs -a -f $mark $fam -r $rs2 -m
	a=$(hist $host 80 10 $c1)
	check_eq "$ph $v: port 80 of the mark alternates under rr" "r1 5 r2 5 " "$a"
	b=$(hist $host 443 10 $c1)
	check_eq "$ph $v: port 443 of the mark alternates, reaching port 443" \
		"r1-443 5 r2-443 5 " "$b"
	# The stock module publishes its counters every 2 s: wait for them.
	# (An IPv6 mark's line has one more column, "FWM  2 IPv6".)
	check "$ph $v: 20 connections counted" wait_for conns 10 stat_is $mark $sf 20
	vs -Ln --stats --exact | awk '$1 == "FWM" || $1 == "->" { print $1, $3 }' >$R/$ph.$v.stats

	vs -E -f $mark $fam -s rr -p 60
	s80=$(server_of $host 80 5 $c1)
	s443=$(server_of $host 443 5 $c1)
	check "$ph $v: persistent: port 80 of one client, one server ($s80)" \
		test "$s80" = r1 -o "$s80" = r2
	check_eq "$ph $v: persistent: port 443 of that client, the same server" "$s80-443" "$s443"
	s3=$(server_of $host 443 5 $c3)
	check_eq "$ph $v: persistent: another client, the other server" \
		"$([ "$s80" = r1 ] && echo r2 || echo r1)-443" "$s3"
	# This family's templates only. The IPv4 case's outlive its service,
	# but for how long is up to the stock module's timer slack: its
	# connections stay in TIME_WAIT for 120 s; the template, last used at
	# t, fires at t + 60 s plus up to one timer-wheel granule (~2 s at
	# HZ=250), is re-armed for 60 s as it still controls them, and fires
	# again up to a granule late; whether the connections' timers (one
	# granule of slack) have run by then decides whether it dies at
	# ~t + 122 s or is re-armed to ~t + 180 s. Ours re-arms at the exact
	# instants, so always to t + 180 s, one of stock's two outcomes.
	templates | awk -v v6="$fam" '(substr($3, 1, 1) == "[") == (v6 != "")' |
		sed "s/$RS1/RS/g; s/$RS2/RS/g; s/$RS1_6/RS/g; s/$RS2_6/RS/g" >$R/$ph.$v.tmpl
	check_eq "$ph $v: one fwmark template per client" 2 "$(wc -l <$R/$ph.$v.tmpl)"
	vs -D -f $mark $fam
}

# Not a mark but the same idea: a persistent port-zero service (every
# port of the VIP) keeps a client's ports on one server.
case_port0() {
	local ph=$1 s80 s443
	vs -A -t $VIP:0 -s rr -p 60
	vs -a -t $VIP:0 -r $RS1 -m
	vs -a -t $VIP:0 -r $RS2 -m
	s80=$(server_of $VIP 80 3 $CL1)
	s443=$(server_of $VIP 443 3 $CL1)
	check "$ph port 0: port 80 of one client, one server ($s80)" \
		test "$s80" = r1 -o "$s80" = r2
	check_eq "$ph port 0: port 443 of that client, the same server" "$s80-443" "$s443"
	# Only this service's templates: the fwmark cases' may or may not have
	# expired by now (see case_fwmark).
	templates | awk -v v=$VIP:0 '$1 == "TCP" && $4 == v' |
		sed "s/$RS1/RS/g; s/$RS2/RS/g" >$R/$ph.port0.tmpl
	check_eq "$ph port 0: one template <TCP, client, VIP:0> for both ports" 1 \
		"$(wc -l <$R/$ph.port0.tmpl)"
	vs -D -t $VIP:0
}

for ph in stock ours; do
	ipvs_phase $ph || { not_ok "load $ph module"; continue; }
	nat_cleanup
	{ nat_setup && nat_add_clients && marks && two_port_servers; } ||
		{ not_ok "$ph: setup"; continue; }
	case_fwmark $ph v4
	case_fwmark $ph v6
	ns d nft delete table ip ipvsmark
	case_port0 $ph
	nat_cleanup
done

phases_done $R v4.stats v4.tmpl v6.stats v6.tmpl port0.tmpl
