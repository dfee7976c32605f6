# SPDX-License-Identifier: GPL-2.0
#
# Tunnel (ipvsadm -i) cases shared by tests/vm/tun-*.sh, on the segment of
# tests/lib/lan.sh; sourced after it. Each case takes the phase (stock or
# ours), the tunnel kind (ipip, gue, gre) and the family (4 or 6) of the
# service and of the real servers, and writes what must match between the
# phases under $R.

TUNPORT=6080
# lan_bulk's transfer size: 4 MB each way keeps a file's VM time down (the
# tunnel path is the same for every segment).
LAN_BULK=4000000

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
		[ "$dev" = grecsum ] && { ip -n $n link add grecsum type gre \
			local "$(ip -n $n -4 -o addr show dev eth0 | awk '{ sub("/.*", "", $4); print $4 }')" \
			icsum || return 1; }
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

# case_tun PHASE KIND FAMILY [RSFAMILY]: rr over TCP, UDP answered, 4 MB
# both ways byte-exact, the download bypassing the director, the real
# servers' tunnel device counting the packets. RSFAMILY (default FAMILY)
# differs for the mixed-family case.
case_tun() {
	local ph=$1 kind=$2 f=$3 rf=${4:-$3} vip seq out dev tag key
	tag="$ph $kind v$f"
	[ "$rf" != "$f" ] && tag="$tag->v$rf"
	tag="$tag${TUN_EXTRA:+ $TUN_EXTRA}"
	# Result files: $R/PHASE.KIND.vFR[.OPTION].{rr,lnc,ln,stats}
	key="$ph.$kind.v$f$rf${TUN_EXTRA:+.${TUN_EXTRA##*-}}"
	vip=$VIP; [ "$f" = 6 ] && vip=$VIP6
	dev=$(tun_dev "$kind" "$rf")
	lan_cleanup; lan_setup || { not_ok "$tag: setup"; return; }
	tun_rs "$kind" "$rf" || { not_ok "$tag: tunnel setup"; return; }
	servers tcp-server 80
	vs -A -t "$(svc $f 80)" -s rr
	vs -a -t "$(svc $f 80)" -r "$(rs $rf 1 80)" $(tun_opts $kind)
	vs -a -t "$(svc $f 80)" -r "$(rs $rf 2 80)" $(tun_opts $kind)
	seq=$(ns c timeout 60 python3 "$NATTOOL" tcp-get $vip 80 4 | tr '\n' ' ')
	echo "$seq" >"$R/$key.rr"
	check "$tag: rr alternates over 4 requests ($seq)" \
		bash -c "echo '$seq' | grep -Eq '^(r1 r2 r1 r2|r2 r1 r2 r1) $'"
	check "$tag: 4 connections counted" wait_for conns 10 stat_is "$(svc $f 80)" 1 4
	wait_for "connections settled" 10 conns_settled
	lnc_masked >"$R/$key.lnc"
	check "$tag: r1's $dev received packets" test "$(ifstat r1 $dev rx_packets)" -gt 0
	check "$tag: r2's $dev received packets" test "$(ifstat r2 $dev rx_packets)" -gt 0

	bg r1 python3 "$NATTOOL" udp-server r1 53
	wait_for "udp server" 20 listening r1 udp 53
	vs -A -u "$(svc $f 53)" -s rr
	vs -a -u "$(svc $f 53)" -r "$(rs $rf 1 53)" $(tun_opts $kind)
	out=$(ns c timeout 60 python3 "$NATTOOL" udp-ask $vip 53 50)
	check_eq "$tag: 50 UDP datagrams answered from the VIP" "sent 50 recv 50" \
		"$(head -n1 <<<"$out")"

	vs -A -t "$(svc $f 5001)" -s rr
	vs -a -t "$(svc $f 5001)" -r "$(rs $rf 1 5001)" $(tun_opts $kind)
	lan_bulk "$tag" $f
	vs -Ln >"$R/$key.ln"
	stats_stable >"$R/$key.stats"
}

# case_tun_pmtu PHASE KIND FAMILY: a 1400-byte route MTU from the director
# to the real server. The client (one segment per packet) is told the MTU
# left inside the tunnel and the 2 MB transfer completes.
case_tun_pmtu() {
	local ph=$1 kind=$2 f=$3
	lan_cleanup; lan_setup || { not_ok "$ph $kind v$f: setup"; return; }
	tun_rs "$kind" "$f" || { not_ok "$ph $kind v$f: tunnel setup"; return; }
	lan_pmtu "$ph $kind v$f" $f $(tun_opts $kind)
	echo "$LAN_PMTU" >"$R/$ph.$kind.v$f.pmtu"
	check "$ph $kind v$f: the client learned a path MTU below 1400" \
		test "${LAN_PMTU:-1500}" -lt 1400
}

# case_tun_icmp PHASE KIND FAMILY: an ICMP error about a reply reaches the
# real server through the tunnel; (IPv4) a "fragmentation needed" about the
# director's own tunnel packet is relayed to the client as one about its
# packet.
case_tun_icmp() {
	local ph=$1 kind=$2 f=$3 vip client who out
	vip=$VIP client=$CLI; [ "$f" = 6 ] && { vip=$VIP6; client=$CLI6; }
	lan_cleanup; lan_setup || { not_ok "$ph $kind v$f: setup"; return; }
	tun_rs "$kind" "$f" || { not_ok "$ph $kind v$f: tunnel setup"; return; }
	bg r1 python3 "$NATTOOL" udp-server r1 53
	wait_for "udp server" 20 listening r1 udp 53
	vs -A -u "$(svc $f 53)" -s rr
	vs -a -u "$(svc $f 53)" -r "$(rs $f 1 53)" $(tun_opts $kind)
	who=$(ns c timeout 20 python3 "$ICMPERR" related $vip 53 1300)
	check_eq "$ph $kind v$f: flow answered by r1" r1 "$who"
	check "$ph $kind v$f: the ICMP error reached the real server (route MTU 1300)" \
		wait_for "r1 pmtu" 10 test "$(rcache_mtu r1 $client)" = 1300
	[ "$f" = 6 ] && return
	out=$(ns c timeout 20 python3 "$ICMPERR" tunnel $vip 53 $DIR $RS1 $kind 1300 $TUNPORT |
		tail -n1)
	echo "$out" >"$R/$ph.$kind.icmp-relay"
	diag "$ph $kind: path MTU learned from the relayed error: $out"
	check "$ph $kind: error about the tunnel packet relayed to the client" \
		test "$out" != none
	check_eq "$ph $kind: the director learned the tunnel path MTU" 1300 "$(rcache_mtu d $RS1)"
}

# tun_encap_main KIND CSUMOPT...: the whole of tests/vm/tun-KIND.sh: KIND
# over IPv4 and IPv6 (no checksum option: --tun-nocsum, ipvsadm's default),
# IPv4 again with each checksum option CSUMOPT, the ICMP cases, then the
# stock/ours comparisons.
tun_encap_main() {
	local kind=$1 ph f o
	shift
	for ph in stock ours; do
		ipvs_phase $ph || { not_ok "load $ph module"; continue; }
		for f in 4 6; do
			case_tun $ph $kind $f
		done
		for o; do
			TUN_EXTRA=$o case_tun $ph $kind 4
		done
		case_tun_icmp $ph $kind 4
		lan_cleanup
	done
	for f in 4 6; do
		check_same "stock and ours v$f: rr order" "$R/stock.$kind.v$f$f.rr" \
			"$R/ours.$kind.v$f$f.rr"
		check_same "stock and ours v$f: ipvsadm -Ln" "$R/stock.$kind.v$f$f.ln" \
			"$R/ours.$kind.v$f$f.ln"
	done
	for o; do
		check_same "stock and ours $o: ipvsadm -Ln" "$R/stock.$kind.v44.${o##*-}.ln" \
			"$R/ours.$kind.v44.${o##*-}.ln"
		check_same "stock and ours $o: ipvsadm -Ln --stats (UDP exact, TCP conns)" \
			"$R/stock.$kind.v44.${o##*-}.stats" "$R/ours.$kind.v44.${o##*-}.stats"
	done
	check "ours: ip_vs unloads" ipvs_unload
	check "kernel log clean" kernel_clean
	tap_done
}
