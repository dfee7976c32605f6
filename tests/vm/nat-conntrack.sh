#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm-time: 122 (rough seconds, only for tests/run-all to start the longest files first)
#
# IPVS NAT and nf_conntrack: the "conntrack" sysctl. With 0 (default) IPVS
# flows are untracked, so a MASQUERADE rule on the director does not touch
# them; with 1 (what kube-proxy sets) they keep conntrack entries whose
# reply tuple is the real server's, so the rule applies and the real server
# sees the director's address. A new flow reusing the client port of a
# closed one gets a fresh entry. Stock module first, then ours, same boot;
# the conntrack entries are compared with ports masked.
#
#   ns c (client)          ns d (director, IPVS, nft masquerade)   ns r1, r2
#   10.0.1.2 ---- veth ---- 10.0.1.1, VIP 10.0.1.100
#                           10.0.2.1 ------------ veth ---- 10.0.2.2 (r1)
#                           10.0.3.1 ------------ veth ---- 10.0.3.2 (r2)
#   (IPv6 too: fd00:1::2 -> VIP fd00:1::100 -> fd00:2::2 / fd00:3::2)
. "$IPVSNG_TOP/tests/lib/vm.sh"
. "$IPVSNG_TOP/tests/lib/nat.sh"

R=/tmp/nat-conntrack
mkdir -p $R

# setup CONNTRACK: topology, peer-reporting servers, masquerade towards the
# real servers, a v4 and a v6 rr service.
setup() {
	nat_cleanup
	nat_setup || return 1
	ns d sysctl -qw net.ipv4.vs.conntrack="$1" 2>/dev/null
	ns d nft -f - <<-'EOF' || return 1
	table inet lb {
		chain post {
			type nat hook postrouting priority srcnat; policy accept;
			oifname { "veth-d1", "veth-d2" } masquerade
		}
	}
	EOF
	bg r1 python3 -S "$NATTOOL" peer-server r1 80
	bg r2 python3 -S "$NATTOOL" peer-server r2 80
	wait_for "r1 server" 20 listening r1 tcp 80 &&
		wait_for "r2 server" 20 listening r2 tcp 80 || return 1
	vs -A -t $VIP:80 -s rr
	vs -a -t $VIP:80 -r $RS1:80 -m
	vs -a -t $VIP:80 -r $RS2:80 -m
	vs -A -t "[$VIP6]:80" -s rr
	vs -a -t "[$VIP6]:80" -r "[$RS1_6]:80" -m
	vs -a -t "[$VIP6]:80" -r "[$RS2_6]:80" -m
}

# ct_lines PATTERN: the director's conntrack entries matching PATTERN,
# client ports and timers masked, sorted.
ct_lines() {
	ns d cat /proc/net/nf_conntrack | grep -F -- "$1" |
		sed -E 's/^(\S+ +\S+ +\S+ +\S+) +[0-9]+/\1 T/;
			s/(sport|dport)=[0-9]{4,5}\>/\1=P/g; s/ use=[0-9]+//' | sort
}

# get HOST PORT N [SPORT]: the answers, in order, ';'-separated.
get() {
	ns c timeout 60 python3 -S "$NATTOOL" tcp-get "$@" | tr '\n' ';'
}

# sorted ANSWERS: the same answers, sorted (rr's first pick is the
# module's business; both servers answering once is the point).
sorted() {
	tr ';' '\n' <<<"$1" | grep . | sort | tr '\n' ';'
}

case_off() {
	local ph=$1 got
	setup 0 || { not_ok "$ph: setup"; return; }
	check_eq "$ph: conntrack sysctl reads 0" 0 "$(ns d sysctl -n net.ipv4.vs.conntrack)"
	got=$(sorted "$(get $VIP 80 2)")
	check_eq "$ph: conntrack=0: masquerade does not apply, servers see the client" \
		"r1 10.0.1.2;r2 10.0.1.2;" "$got"
	got=$(sorted "$(get "$VIP6" 80 2)")
	check_eq "$ph: conntrack=0: IPv6 likewise" "r1 fd00:1::2;r2 fd00:1::2;" "$got"
	check_eq "$ph: conntrack=0: no conntrack entry for the VIP" "" \
		"$(ct_lines "dst=$VIP ")"
}

case_on() {
	local ph=$1 got
	setup 1 || { not_ok "$ph: setup"; return; }
	check_eq "$ph: conntrack sysctl reads 1" 1 "$(ns d sysctl -n net.ipv4.vs.conntrack)"
	got=$(sorted "$(get $VIP 80 2)")
	check_eq "$ph: conntrack=1: masqueraded, servers see the director" \
		"r1 10.0.2.1;r2 10.0.3.1;" "$got"
	got=$(sorted "$(get "$VIP6" 80 2)")
	check_eq "$ph: conntrack=1: IPv6 masqueraded" "r1 fd00:2::1;r2 fd00:3::1;" "$got"
	ct_lines "dst=$VIP " >$R/$ph.ct4
	ct_lines ipv6 | grep -F 'dport=80 ' >$R/$ph.ct6
	check_eq "$ph: conntrack=1: one entry per connection, reply from the real server" \
		"1 1" "$(grep -c "src=$RS1 dst=10.0.2.1 sport=80" $R/$ph.ct4) $(grep -c "src=$RS2 dst=10.0.3.1 sport=80" $R/$ph.ct4)"
	check_eq "$ph: conntrack=1: IPv6 entries" 2 "$(grep -c "sport=80" $R/$ph.ct6)"
	check_eq "$ph: IPVS still lists both connections" 4 "$(conns_in_table)"

	# Port reuse: the second connection from the same client port meets
	# the first one's TIME_WAIT entry; it must be rescheduled (rr: the
	# other server) and get a conntrack entry of its own.
	got=$(get $VIP 80 2 40000)
	check_eq "$ph: same client port twice: both answered, rescheduled" \
		"r1 10.0.2.1;r2 10.0.3.1;" "$(sorted "$got")"
	local last=$RS1
	[ "${got#*;}" = "r2 10.0.3.1;" ] && last=$RS2
	check_eq "$ph: one conntrack entry for that client port, to the new server" \
		"1 $last" "$(ns d grep -F 'sport=40000 ' /proc/net/nf_conntrack |
			grep -oE "src=10\.0\.[23]\.2" | cut -d= -f2 | sort | uniq -c | awk '{ print $1, $2 }')"
}

# UDP through NAT with conntrack=1: datagrams and their entry.
case_udp() {
	local ph=$1 out
	setup 1 || { not_ok "$ph: setup"; return; }
	bg r1 python3 -S "$NATTOOL" udp-server r1 53
	wait_for "r1 udp" 20 listening r1 udp 53
	vs -A -u $VIP:53 -s rr
	vs -a -u $VIP:53 -r $RS1:53 -m
	out=$(ns c timeout 60 python3 -S "$NATTOOL" udp-ask $VIP 53 20 | head -n1)
	check_eq "$ph: conntrack=1 UDP: 20 of 20 answered" "sent 20 recv 20" "$out"
	ct_lines "dport=53 " >$R/$ph.ctu
	check_eq "$ph: conntrack=1 UDP: one entry, reply from r1 to the director" 1 \
		"$(grep -c "src=$RS1 dst=10.0.2.1 sport=53" $R/$ph.ctu)"

	# One-packet scheduling keeps no IPVS entry; every datagram of one
	# socket must still reach the server, however conntrack files them.
	: >$R/ops.log
	bg r2 python3 -S "$NATTOOL" udp-log r2 54 $R/ops.log
	wait_for "r2 udp-log" 20 listening r2 udp 54
	vs -A -u $VIP:54 -s rr -o
	vs -a -u $VIP:54 -r $RS2:54 -m
	ns c timeout 60 python3 -S "$NATTOOL" udp-send $VIP 54 20 >/dev/null
	check "$ph: conntrack=1 one-packet UDP: 20 datagrams from one socket delivered" \
		wait_for "20 logged" 20 ops_logged 20
	# (the virtual address column: a bare ":54 " also matches an
	# expiry time such as "04:54" of the port-53 entry)
	check_eq "$ph: conntrack=1 one-packet UDP: no connection entry kept" 0 \
		"$(vs -Lnc | grep -cF " $VIP:54 ")"
}

ops_logged() {
	[ "$(wc -l <$R/ops.log)" -ge "$1" ]
}

for ph in stock ours; do
	ipvs_phase $ph || { not_ok "load $ph module"; continue; }
	case_off $ph
	case_on $ph
	case_udp $ph
	nat_cleanup
done

check_same "stock and ours: IPv4 conntrack entries (ports masked)" $R/stock.ct4 $R/ours.ct4
check_same "stock and ours: IPv6 conntrack entries (ports masked)" $R/stock.ct6 $R/ours.ct6
check_same "stock and ours: UDP conntrack entries (ports masked)" $R/stock.ctu $R/ours.ctu
check "ours: ip_vs unloads" ipvs_unload
check "kernel log clean" kernel_clean
tap_done
