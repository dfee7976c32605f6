# SPDX-License-Identifier: GPL-2.0
#
# One Ethernet segment for the DR and TUN VM tests (tests/vm/dr.sh,
# tests/vm/tun*.sh); sourced after tests/lib/vm.sh and tests/lib/nat.sh,
# whose helpers (bg, servers, vs, stat_field...) it reuses with its own
# addresses.
#
#   ns c (client)   ns d (director)       ns r1            ns r2
#   10.0.0.2        10.0.0.1              10.0.0.11        10.0.0.12
#   fd00::2         fd00::1               fd00::11         fd00::12
#                   VIP 10.0.0.100        VIP on lo (DR and TUN), tunnel
#                   VIP fd00::100         devices decapsulating (TUN)
#      eth0            eth0                  eth0             eth0
#       |               |                     |                |
#   ----+---------------+---- br0 (ns sw) ----+----------------+----
#
# The director is the only one answering ARP/ND for the VIP (real servers:
# arp_ignore=1/arp_announce=2, and IPv6 only answers ND for addresses of
# the asking interface). Real servers answer the client directly, so their
# replies never cross the director.

ICMPERR=$IPVSNG_TOP/tests/tools/icmperr.py
VIP=10.0.0.100
VIP6=fd00::100
DIR=10.0.0.1
DIR6=fd00::1
CLI=10.0.0.2
CLI6=fd00::2
RS1=10.0.0.11
RS2=10.0.0.12
RS1_6=fd00::11
RS2_6=fd00::12

# The switch's namespace goes last: deleted first, it takes the veth peers
# (the director's eth0) with it while the director's services still hold
# routes through eth0, and the stock module then never lets go of them
# ("unregister_netdevice: waiting for eth0 to become free", seen twice
# after dr.sh's stock phase; see case_switch_first there).
lan_cleanup() {
	nat_stop
	printf 'netns del %s\n' c d r1 r2 sw | ip -force -batch - 2>/dev/null
	return 0
}

lan_setup() {
	local n i
	printf 'netns add %s\n' sw c d r1 r2 | ipb || return 1
	printf 'link add eth0 netns %s type veth peer name %s netns sw\n' \
		c c d d r1 r1 r2 r2 | ipb || return 1
	{
		echo "link set lo up"
		echo "link add br0 type bridge mcast_snooping 0"
		echo "link set br0 up"
		printf 'link set dev %s master br0 up\n' c d r1 r2
	} | ipb sw || return 1
	ipb c <<-EOF || return 1
	link set lo up
	link set eth0 up
	addr add $CLI/24 dev eth0
	addr add $CLI6/64 dev eth0 nodad
	EOF
	# VIP6 deprecated, so that the director's own packets (IPv6 tunnel
	# outer headers) leave from fd00::1: a real server drops a tunnel
	# packet whose outer source is one of its own addresses (the VIP on
	# lo).
	ipb d <<-EOF || return 1
	link set lo up
	link set eth0 up
	addr add $DIR/24 dev eth0
	addr add $DIR6/64 dev eth0 nodad
	addr add $VIP/32 dev eth0
	addr add $VIP6/128 dev eth0 nodad preferred_lft 0
	EOF
	for i in 11 12; do
		n=r$((i - 10))
		ipb $n <<-EOF || return 1
		link set lo up
		link set eth0 up
		addr add 10.0.0.$i/24 dev eth0
		addr add fd00::$i/64 dev eth0 nodad
		addr add $VIP/32 dev lo
		addr add $VIP6/128 dev lo
		EOF
		ns $n sysctl -qw net.ipv4.conf.all.arp_ignore=1 net.ipv4.conf.all.arp_announce=2 \
			net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0
	done
	wait_for "links up" 10 links_up
}

# ifstat NS DEV FIELD: a counter of /sys/class/net/DEV/statistics in NS.
ifstat() {
	ns "$1" cat "/sys/class/net/$2/statistics/$3"
}

# out_pkts_zero SVC: the director counted no packet towards the client.
out_pkts_zero() {
	[ "$(stat_field "$1" 3)" = 0 ]
}

# dir_icmp_errs FAMILY: the ICMP errors the director sent that a client
# may get about its packets (IPv4 destination unreachable, IPv6 packet too
# big). Upstream counts those as outgoing packets of DR and TUN services.
dir_icmp_errs() {
	if [ "$1" = 6 ]; then
		ns d awk '$1 == "Icmp6OutPktTooBigs" { print $2 }' /proc/net/snmp6
	else
		ns d awk '$1 == "Icmp:" && !c { for (i = 2; i <= NF; i++)
			if ($i == "OutDestUnreachs") c = i; next } $1 == "Icmp:" { print $c }' \
			/proc/net/snmp
	fi
}

# stats_stable: "ipvsadm -Ln --stats --exact" keeping what must not vary
# between runs: every counter of UDP services (one datagram, one packet),
# only the connection counts of TCP ones (segment counts depend on timing).
stats_stable() {
	vs -Ln --stats --exact | awk '
		$1 == "TCP" || $1 == "UDP" || $1 == "SCTP" || $1 == "FWM" { p = $1 }
		NR <= 3 { print; next }
		p == "UDP" { print; next }
		{ print $1, $2, $3 }'
}

stat_is() {
	[ "$(stat_field "$1" "$2")" = "$3" ]
}

# svc FAMILY PORT, rs FAMILY N PORT: addresses as ipvsadm writes them.
svc() {
	if [ "$1" = 6 ]; then echo "[$VIP6]:$2"; else echo "$VIP:$2"; fi
}

rs() {
	if [ "$1" = 6 ]; then eval echo "[\$RS$2_6]:$3"; else eval echo "\$RS$2:$3"; fi
}

# rcache_mtu NS DST: the MTU the route cache of NS has for DST.
rcache_mtu() {
	ns "$1" ip route get "$2" | grep -o 'mtu [0-9]*' | awk '{ print $2 }'
}

# lan_bulk TAG FAMILY: with service VIP:5001 (of FAMILY) forwarded to r1,
# send LAN_BULK bytes (default 10 MB) each way and compare them byte for
# byte; the download must not come back through the director (it receives
# a fifth of it at most meanwhile, and the service's outgoing packets are
# only the ICMP errors the director itself sent the client, e.g.
# "fragmentation needed" for a tunnel).
lan_bulk() {
	local tag=$1 f=$2 vip=$VIP tcp=TCP size=${LAN_BULK:-10000000} src rx0 rx1 e0 errs
	src=/tmp/lan-src.$size.bin
	[ "$f" = 6 ] && { vip="[$VIP6]"; tcp=TCP6; }
	[ -f $src ] || head -c $size /dev/urandom >$src
	e0=$(dir_icmp_errs $f)
	rm -f /tmp/lan-up.bin /tmp/lan-down.bin
	bg r1 socat -u TCP6-LISTEN:5001,reuseaddr OPEN:/tmp/lan-up.bin,creat,trunc
	wait_for "upload listener" 20 listening r1 tcp 5001
	ns c timeout 120 socat -u OPEN:$src $tcp:$vip:5001
	wait_for "upload complete" 60 test "$(stat -c %s /tmp/lan-up.bin 2>/dev/null)" = $size
	check "$tag: $size bytes upload identical (cmp)" cmp -s $src /tmp/lan-up.bin
	bg r1 socat -u OPEN:$src TCP6-LISTEN:5001,reuseaddr
	wait_for "download listener" 20 listening r1 tcp 5001
	rx0=$(ifstat d eth0 rx_bytes)
	ns c timeout 120 socat -u $tcp:$vip:5001 OPEN:/tmp/lan-down.bin,creat,trunc
	rx1=$(ifstat d eth0 rx_bytes)
	check "$tag: $size bytes download identical (cmp)" cmp -s $src /tmp/lan-down.bin
	diag "$tag: director received $((rx1 - rx0)) bytes during the download"
	check "$tag: the download bypassed the director (< $((size / 5)) bytes received)" \
		test $((rx1 - rx0)) -lt $((size / 5))
	errs=$(($(dir_icmp_errs $f) - e0))
	diag "$tag: the director sent the client $errs ICMP errors"
	check "$tag: no packet came back through the director (OutPkts = $errs ICMP errors)" \
		wait_for "OutPkts" 5 stat_is "$(svc $f 5001)" 3 $errs
	rm -f /tmp/lan-up.bin /tmp/lan-down.bin
}

# lan_pmtu TAG FAMILY FWD...: a 1400-byte route MTU from the director to
# r1, service VIP:5001 forwarded to r1 with the ipvsadm options FWD. The
# client sends one segment per packet (gso_max_segs 1), full-size with DF;
# LAN_PMTU_BYTES (default 2 MB) must arrive intact once it learned the
# path MTU, left in LAN_PMTU.
lan_pmtu() {
	local tag=$1 f=$2 vip=$VIP tcp=TCP size=${LAN_PMTU_BYTES:-2000000} src
	shift 2
	src=/tmp/lan-mtu.$size.bin
	[ "$f" = 6 ] && { vip="[$VIP6]"; tcp=TCP6; }
	ip -n c link set eth0 gso_max_segs 1
	if [ "$f" = 6 ]; then
		ip -n d -6 route add $RS1_6/128 dev eth0 mtu 1400
	else
		ip -n d route add $RS1/32 dev eth0 mtu 1400
	fi
	[ -f $src ] || head -c $size /dev/urandom >$src
	vs -A -t "$(svc $f 5001)" -s rr
	vs -a -t "$(svc $f 5001)" -r "$(rs $f 1 5001)" "$@"
	rm -f /tmp/lan-mtu-up.bin
	bg r1 socat -u TCP6-LISTEN:5001,reuseaddr OPEN:/tmp/lan-mtu-up.bin,creat,trunc
	wait_for "listener" 20 listening r1 tcp 5001
	ns c timeout 120 socat -u OPEN:$src $tcp:$vip:5001
	wait_for "upload complete" 60 test "$(stat -c %s /tmp/lan-mtu-up.bin 2>/dev/null)" = $size
	check "$tag: route MTU 1400 to the real server: $size bytes identical (cmp)" \
		cmp -s $src /tmp/lan-mtu-up.bin
	LAN_PMTU=$(rcache_mtu c "${vip//[\[\]]/}")
	diag "$tag: the client learned path MTU ${LAN_PMTU:-none}"
	rm -f /tmp/lan-mtu-up.bin
}

# conns_settled: no connection entry is still opening or established
# (after short request/response connections all ended).
conns_settled() {
	! vs -Lnc | grep -qE 'SYN_RECV|ESTABLISHED'
}

# lnc_masked: the connection listing without client ports and timers.
lnc_masked() {
	vs -Lnc | awk 'NR > 2 { print $1, $3, $5, $6 }' | sort
}
