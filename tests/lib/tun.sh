# SPDX-License-Identifier: GPL-2.0
#
# Tunnel (ipvsadm -i) cases shared by tests/vm/tun-*.sh, on the segment of
# tests/lib/lan.sh; sourced after it. One segment per phase and kind
# (tun_setup): the real servers decapsulate the kind over IPv4 and IPv6
# at once, and each case has its own VIP and services (the previous
# case's cleared), so cases follow each other without rebuilding
# namespaces. Each case takes the phase (stock or ours), the tunnel kind
# (ipip, gue, gre) and the family (4 or 6) of the service and of the real
# servers, and writes what must match between the phases under $R.
#
# Recorded (diag) but not compared, known differences from the stock
# module: (1) relaying "fragmentation needed" about a tunnel packet, stock
# tells the client its cached route's MTU to the real server, stale
# (1500, or 1400 left by the PMTU case), minus the encapsulation: 1468
# (GUE), 1476 (GRE), 1380 (ipip) after the router said 1300; ours looks
# the route up afresh: 1268, 1276, 1280. (2) How many ICMP errors the
# director sends the client during a bulk transfer (timing, and ours
# also refuses GSO packets whose segments exceed the tunnel's MTU, see
# xmit_route.c); each phase checks the services' OutPkts against it.

TUNPORT=6080
# Transfer sizes: 2 MB each way for lan_bulk, 1 MB for the PMTU upload,
# keep a file's VM time down (the tunnel path is the same for every
# segment; the PMTU case needs only enough full-size segments).
LAN_BULK=2000000
LAN_PMTU_BYTES=1000000

# tun_dev KIND FAMILY: the real servers' decapsulating device. GRE with
# checksums (--tun-csum in $TUN_EXTRA) needs a device expecting them: a
# GRE device drops packets whose checksum flag differs from its own.
tun_dev() {
	case $1$2 in
	ipip4|gue4) echo tunl0 ;;
	ipip6|gue6) echo ip6tnl0 ;;
	gre4) if [[ $TUN_EXTRA == *--tun-csum* ]]; then echo grecsum; else echo gre0; fi ;;
	gre6) echo ip6gre0 ;;
	esac
}

# tun_rs KIND FAMILY: make r1 and r2 decapsulate KIND over FAMILY.
tun_rs() {
	local kind=$1 f=$2 n dev
	dev=$(tun_dev "$kind" "$f")
	case $kind$f in
	ipip4) modprobe ipip ;;
	ipip6) modprobe ip6_tunnel ;;
	gue4) modprobe ipip && modprobe fou ;;
	gue6) modprobe ip6_tunnel && modprobe fou6 ;;
	gre4) modprobe ip_gre ;;
	gre6) modprobe ip6_gre ;;
	esac
	for n in r1 r2; do
		# An IPv4 packet may arrive in an IPv6 tunnel (mixed families).
		[ "$dev" = ip6tnl0 ] && ip -n $n -6 tunnel change ip6tnl0 mode any
		ip -n $n link set "$dev" up || return 1
		ns $n sysctl -qw "net.ipv4.conf.$dev.rp_filter=0"
		case $kind$f in
		gue4) ip -n $n fou add port $TUNPORT gue || return 1 ;;
		gue6) ip -n $n fou add port $TUNPORT gue -6 || return 1 ;;
		esac
	done
}

# tun_opts KIND: the ipvsadm tunnel options for KIND (plus $TUN_EXTRA).
tun_opts() {
	case $1 in
	ipip) echo "-i --tun-type ipip $TUN_EXTRA" ;;
	gue) echo "-i --tun-type gue --tun-port $TUNPORT $TUN_EXTRA" ;;
	gre) echo "-i --tun-type gre $TUN_EXTRA" ;;
	esac
}

# tun_setup KIND: a fresh segment whose real servers decapsulate KIND over
# IPv4 and IPv6, TCP servers on port 80 (r1, r2; they answer their name
# and close when the client does), a UDP server on port 53 (r1), and VIPs
# 10.0.0.101-108 and fd00::101-108 besides the segment's .100 and ::100:
# one pair for each case (tun_vip).
tun_setup() {
	local i n
	lan_cleanup; lan_setup || return 1
	for i in 1 2 3 4 5 6 7 8; do
		echo "addr add 10.0.0.$((100 + i))/32 dev eth0"
		echo "addr add fd00::$((100 + i))/128 dev eth0 nodad preferred_lft 0"
	done | ipb d || return 1
	for n in r1 r2; do
		for i in 1 2 3 4 5 6 7 8; do
			echo "addr add 10.0.0.$((100 + i))/32 dev lo"
			echo "addr add fd00::$((100 + i))/128 dev lo"
		done | ipb $n || return 1
	done
	TUN_CASE=0
	tun_rs "$1" 4 && tun_rs "$1" 6 || return 1
	# The client closes first (the servers wait for its FIN). With the
	# server closing first, two entries of the mixed-family case ended
	# in CLOSE instead of FIN_WAIT, once in the stock phase and once in
	# ours: a client that closed second keeps no TIME_WAIT and answers
	# any late segment of the server (e.g. the ACK of its retransmitted
	# FIN on a slow machine) with a RST, which the director sees.
	servers hold-server 80 || return 1
	bg r1 python3 -S "$NATTOOL" udp-server r1 53
	wait_for "udp server" 20 listening r1 udp 53
}

# tun_vip: set VIP and VIP6 (the caller's locals) to the next case's pair.
# Each case has its own services, so that neither the real servers the
# stock module keeps (with their counters) after "ipvsadm -C" while they
# have connections, nor those connections, reach into the next case.
tun_vip() {
	TUN_CASE=$((TUN_CASE + 1))
	VIP=10.0.0.$((100 + TUN_CASE))
	VIP6=fd00::$((100 + TUN_CASE))
}

# tun_conns SVC: the connections to service SVC as "proto client state
# virtual real" (timers dropped).
tun_conns() {
	vs -Lnc | awk -v v="$1" 'NR > 2 && $5 == v { print $1, $4, $3, $5, $6 }'
}

# tcp_snmp NS FIELD...: counters of the Tcp line of /proc/net/snmp in NS.
tcp_snmp() {
	local n=$1
	shift
	ns "$n" awk -v want="$*" '$1 == "Tcp:" && !h { for (i = 2; i <= NF; i++) c[$i] = i; h = 1; next }
		$1 == "Tcp:" { n = split(want, w, " "); for (j = 1; j <= n; j++) printf "%s%s", $c[w[j]], j < n ? " " : "\n" }' \
		/proc/net/snmp
}

# case_tun PHASE KIND FAMILY [RSFAMILY]: rr over TCP, UDP answered,
# LAN_BULK bytes both ways byte-exact, the download bypassing the
# director, the real servers' tunnel device counting the packets. RSFAMILY
# (default FAMILY) differs for the mixed-family case.
case_tun() {
	local ph=$1 kind=$2 f=$3 rf=${4:-$3} vip seq out dev tag key rx1 rx2 tcp0 bulk VIP VIP6
	tun_vip
	tag="$ph $kind v$f"
	[ "$rf" != "$f" ] && tag="$tag->v$rf"
	tag="$tag${TUN_EXTRA:+ $TUN_EXTRA}"
	# Result files: $R/PHASE.KIND.vFR[.OPTION].{rr,lnc,ln,stats}
	key="$ph.$kind.v$f$rf${TUN_EXTRA:+.${TUN_EXTRA##*-}}"
	vip=$VIP; [ "$f" = 6 ] && vip=$VIP6
	dev=$(tun_dev "$kind" "$rf")
	vs -C
	rx1=$(ifstat r1 "$dev" rx_packets) rx2=$(ifstat r2 "$dev" rx_packets)
	vs -A -t "$(svc $f 80)" -s rr
	vs -a -t "$(svc $f 80)" -r "$(rs $rf 1 80)" $(tun_opts $kind)
	vs -a -t "$(svc $f 80)" -r "$(rs $rf 2 80)" $(tun_opts $kind)
	tcp0="$(tcp_snmp c OutRsts RetransSegs), r1 $(tcp_snmp r1 RetransSegs), r2 $(tcp_snmp r2 RetransSegs)"
	seq=$(ns c timeout 60 python3 -S "$NATTOOL" tcp-get $vip 80 4 | tr '\n' ' ')
	echo "$seq" >"$R/$key.rr"
	# Timing shows here: a retransmitted or reset handshake changes the
	# connection states the director sees (client packets only).
	diag "$tag: TCP client OutRsts RetransSegs, servers' RetransSegs: before $tcp0;" \
		"after $(tcp_snmp c OutRsts RetransSegs), r1 $(tcp_snmp r1 RetransSegs), r2 $(tcp_snmp r2 RetransSegs)"
	check "$tag: rr alternates over 4 requests ($seq)" \
		bash -c "echo '$seq' | grep -Eq '^(r1 r2 r1 r2|r2 r1 r2 r1) $'"
	check "$tag: 4 connections counted" wait_for conns 10 stat_is "$(svc $f 80)" 1 4
	wait_for "connections settled" 10 conns_settled
	tun_conns "$(svc $f 80)" >"$R/$key.conns"
	awk '{ print $1, $3, $4, $5 }' "$R/$key.conns" | sort >"$R/$key.lnc"
	check_eq "$tag: 4 connection entries" 4 "$(wc -l <"$R/$key.lnc")"
	check "$tag: r1's $dev received packets" test "$(ifstat r1 "$dev" rx_packets)" -gt "$rx1"
	check "$tag: r2's $dev received packets" test "$(ifstat r2 "$dev" rx_packets)" -gt "$rx2"

	vs -A -u "$(svc $f 53)" -s rr
	vs -a -u "$(svc $f 53)" -r "$(rs $rf 1 53)" $(tun_opts $kind)
	out=$(ns c timeout 60 python3 -S "$NATTOOL" udp-ask $vip 53 50)
	check_eq "$tag: 50 UDP datagrams answered from the VIP" "sent 50 recv 50" \
		"$(head -n1 <<<"$out")"

	vs -A -t "$(svc $f 5001)" -s rr
	vs -a -t "$(svc $f 5001)" -r "$(rs $rf 1 5001)" $(tun_opts $kind)
	lan_bulk "$tag" $f
	vs -Ln >"$R/$key.ln"
	# The bulk service's connection count is checked here, not against
	# the stock module: stock counted one connection for the upload and
	# the download in 2 of about 20 such cases once guests had one CPU
	# (never before, with two); the count it gives is printed.
	bulk=$(stat_field "$(svc $f 5001)" 1)
	if [ "$ph" = ours ]; then
		check_eq "$tag: the bulk service counted its 2 connections" 2 "$bulk"
	elif [ "$bulk" != 2 ]; then
		diag "$tag: the stock module counted $bulk bulk connections (2 made):" \
			"$(vs -Lnc | grep -F ':5001')"
	fi
	stats_stable | grep -vF ':5001 ' >"$R/$key.stats"
}

# case_tun_pmtu PHASE KIND FAMILY: a 1400-byte route MTU from the director
# to the real server. The client (one segment per packet) is told the MTU
# left inside the tunnel and the transfer completes. The route goes again
# after.
case_tun_pmtu() {
	local ph=$1 kind=$2 f=$3 rs1=$RS1 VIP VIP6
	tun_vip
	[ "$f" = 6 ] && rs1=$RS1_6
	vs -C
	lan_pmtu "$ph $kind v$f" $f $(tun_opts $kind)
	echo "$LAN_PMTU" >"$R/$ph.$kind.v$f.pmtu"
	check "$ph $kind v$f: the client learned a path MTU below 1400" \
		test "${LAN_PMTU:-1500}" -lt 1400
	ip -n d -$f route del "$rs1" dev eth0
}

# case_tun_icmp PHASE KIND FAMILY: an ICMP error about a reply reaches the
# real server through the tunnel; (IPv4) a "fragmentation needed" about the
# director's own tunnel packet is relayed to the client as one about its
# packet.
case_tun_icmp() {
	local ph=$1 kind=$2 f=$3 vip client who out VIP VIP6
	tun_vip
	vip=$VIP client=$CLI; [ "$f" = 6 ] && { vip=$VIP6; client=$CLI6; }
	vs -C
	vs -A -u "$(svc $f 53)" -s rr
	vs -a -u "$(svc $f 53)" -r "$(rs $f 1 53)" $(tun_opts $kind)
	who=$(ns c timeout 20 python3 -S "$ICMPERR" related $vip 53 1300)
	check_eq "$ph $kind v$f: flow answered by r1" r1 "$who"
	check "$ph $kind v$f: the ICMP error reached the real server (route MTU 1300)" \
		wait_for "r1 pmtu" 10 test "$(rcache_mtu r1 $client)" = 1300
	[ "$f" = 6 ] && return
	out=$(ns c timeout 20 python3 -S "$ICMPERR" tunnel $vip 53 $DIR $RS1 $kind 1300 $TUNPORT |
		tail -n1)
	echo "$out" >"$R/$ph.$kind.icmp-relay"
	diag "$ph $kind: path MTU learned from the relayed error: $out"
	check "$ph $kind: error about the tunnel packet relayed to the client" \
		test "$out" != none
	check_eq "$ph $kind: the director learned the tunnel path MTU" 1300 "$(rcache_mtu d $RS1)"
}

# tun_compare KIND KEY...: stock and ours gave the same rr order, -Ln,
# stats and connection listing (client ports and timers masked) for each
# case KEY (vFR[.OPTION]).
tun_compare() {
	local kind=$1 k
	shift
	for k; do
		check_same "stock and ours $kind $k: rr order" "$R/stock.$kind.$k.rr" \
			"$R/ours.$kind.$k.rr"
		check_same "stock and ours $kind $k: ipvsadm -Ln" "$R/stock.$kind.$k.ln" \
			"$R/ours.$kind.$k.ln"
		check_same "stock and ours $kind $k: ipvsadm -Ln --stats (UDP exact, TCP conns)" \
			"$R/stock.$kind.$k.stats" "$R/ours.$kind.$k.stats"
		check_same "stock and ours $kind $k: ipvsadm -Lnc (ports, timers masked)" \
			"$R/stock.$kind.$k.lnc" "$R/ours.$kind.$k.lnc"
	done
}

# tun_encap_main KIND CSUMOPT...: the whole of tests/vm/tun-KIND.sh: KIND
# over IPv4 and IPv6 (no checksum option: --tun-nocsum, ipvsadm's default),
# the ICMP cases, IPv4 again with each checksum option CSUMOPT, then the
# stock/ours comparisons.
tun_encap_main() {
	local kind=$1 ph f o keys=(v44 v66)
	shift
	for o; do
		keys+=("v44.${o##*-}")
	done
	for ph in stock ours; do
		ipvs_phase $ph || { not_ok "load $ph module"; continue; }
		tun_setup $kind || { not_ok "$ph $kind: setup"; continue; }
		for f in 4 6; do
			case_tun $ph $kind $f
		done
		case_tun_icmp $ph $kind 4
		for o; do
			tun_csum_rs $kind "$o" add || { not_ok "$ph $kind $o: setup"; continue; }
			TUN_EXTRA=$o case_tun $ph $kind 4
			tun_csum_rs $kind "$o" del
		done
		diag "$ph $kind: phase done after ${SECONDS}s"
		lan_cleanup
	done
	tun_compare $kind "${keys[@]}"
	check "ours: ip_vs unloads" ipvs_unload
	check "kernel log clean" kernel_clean
	tap_done
}

# tun_csum_rs KIND OPTION add|del: a real-server device for checksum
# OPTION where KIND's default one does not take it: GRE with checksums
# needs a GRE device expecting them (grecsum, see tun_dev).
tun_csum_rs() {
	local n
	[ "$1$2" = gre--tun-csum ] || return 0
	for n in r1 r2; do
		if [ "$3" = del ]; then
			ip -n $n link del grecsum || return 1
			continue
		fi
		ip -n $n link add grecsum type gre local \
			"$(ip -n $n -4 -o addr show dev eth0 | awk '{ sub("/.*", "", $4); print $4 }')" \
			icsum || return 1
		ip -n $n link set grecsum up || return 1
		ns $n sysctl -qw net.ipv4.conf.grecsum.rp_filter=0
	done
}
