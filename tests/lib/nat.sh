# SPDX-License-Identifier: GPL-2.0
#
# Topology and helpers shared by the NAT data-plane VM tests
# (tests/vm/nat-*.sh); sourced after tests/lib/vm.sh.
#
#   ns c (client)              ns d (director)                 ns r1, r2
#   veth-c                     veth-dc                 veth-d1 --- veth-r1  r1
#   10.0.1.2/24  ----------    10.0.1.1/24             10.0.2.1    10.0.2.2
#   fd00:1::2/64               fd00:1::1/64            fd00:2::1   fd00:2::2
#                              VIP 10.0.1.100          veth-d2 --- veth-r2  r2
#                              VIP fd00:1::100         10.0.3.1    10.0.3.2
#                                                      fd00:3::1   fd00:3::2
#
# The real servers' default routes point at the director, which forwards.
# Servers answer with their own name (tests/tools/nattool.py).

NATTOOL=$IPVSNG_TOP/tests/tools/nattool.py
IPVSADM=${IPVSADM:-$STOCK_IPVSADM}
VIP=10.0.1.100
VIP6=fd00:1::100
RS1=10.0.2.2
RS2=10.0.3.2
RS1_6=fd00:2::2
RS2_6=fd00:3::2
NAT_PIDS=()

# nat_stop: stop what bg started, and wait for it.
nat_stop() {
	local p
	for p in "${NAT_PIDS[@]}"; do
		kill "$p" 2>/dev/null
	done
	for p in "${NAT_PIDS[@]}"; do
		wait "$p" 2>/dev/null
	done
	NAT_PIDS=()
}

nat_cleanup() {
	nat_stop
	printf 'netns del %s\n' c d r1 r2 | ip -force -batch - 2>/dev/null
	return 0
}

# links_up: every veth of the topology has carrier.
links_up() {
	local n
	for n in c d r1 r2; do
		! ip -n "$n" -o link show type veth | grep -v -q LOWER_UP || return 1
	done
}

nat_setup() {
	local n
	printf 'netns add %s\n' c d r1 r2 | ipb || return 1
	ipb <<-EOF || return 1
	link add veth-c netns c type veth peer name veth-dc netns d
	link add veth-r1 netns r1 type veth peer name veth-d1 netns d
	link add veth-r2 netns r2 type veth peer name veth-d2 netns d
	EOF
	ipb c <<-EOF || return 1
	link set lo up
	addr add 10.0.1.2/24 dev veth-c
	addr add fd00:1::2/64 dev veth-c nodad
	link set veth-c up
	EOF
	ipb d <<-EOF || return 1
	link set lo up
	addr add 10.0.1.1/24 dev veth-dc
	addr add $VIP/24 dev veth-dc
	addr add fd00:1::1/64 dev veth-dc nodad
	addr add $VIP6/64 dev veth-dc nodad
	addr add 10.0.2.1/24 dev veth-d1
	addr add fd00:2::1/64 dev veth-d1 nodad
	addr add 10.0.3.1/24 dev veth-d2
	addr add fd00:3::1/64 dev veth-d2 nodad
	link set veth-dc up
	link set veth-d1 up
	link set veth-d2 up
	EOF
	# r1 on 10.0.2.0/24 and fd00:2::/64, r2 on 10.0.3.0/24 and fd00:3::/64.
	for n in 1 2; do
		ipb r$n <<-EOF || return 1
		link set lo up
		addr add 10.0.$((n + 1)).2/24 dev veth-r$n
		addr add fd00:$((n + 1))::2/64 dev veth-r$n nodad
		link set veth-r$n up
		route add default via 10.0.$((n + 1)).1
		route add ::/0 via fd00:$((n + 1))::1
		EOF
	done
	ns d sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1
	wait_for "links up" 10 links_up
}

# bg NS CMD...: run CMD in NS in the background, killed by nat_cleanup.
bg() {
	local n=$1
	shift
	ip netns exec "$n" "$@" &
	NAT_PIDS+=($!)
}

# listening NS PROTO PORT: something listens on PORT (tcp|udp|sctp) in NS.
listening() {
	local flag=-tln
	[ "$2" = udp ] && flag=-uln
	[ "$2" = sctp ] && flag=-Sln
	ss -N "$1" -H $flag "sport = :$3" | { IFS= read -r _; }
}

# servers KIND PORT: start a name server in r1 and r2 and wait for them.
servers() {
	local kind=$1 port=$2 proto=tcp
	[ "$kind" = udp-server ] && proto=udp
	bg r1 python3 -S "$NATTOOL" "$kind" r1 "$port"
	bg r2 python3 -S "$NATTOOL" "$kind" r2 "$port"
	wait_for "r1 $kind" 20 listening r1 $proto "$port" &&
	wait_for "r2 $kind" 20 listening r2 $proto "$port"
}

# (nsenter, not ip netns exec: ipvsadm needs only the network namespace,
# and skipping ip's mount namespace and /sys remount saves ~100 ms a call.)
vs() {
	nsenter --net=/run/netns/d "$IPVSADM" "$@"
}

# conns_in_table: connection entries of the director (excluding header).
conns_in_table() {
	ns d tail -n +2 /proc/net/ip_vs_conn | wc -l
}

# stat_field SVC FIELD: one number of "ipvsadm -Ln --stats --exact" for
# the service line matching SVC (FIELD: 1 conns, 2 inpkts, 3 outpkts,
# 4 inbytes, 5 outbytes).
stat_field() {
	vs -Ln --stats --exact | awk -v s="$1" -v f="$2" \
		'$2 == s { print $(f + 2); exit }'
}

# stat_settled SVC FIELD: stat_field once it has held still for 2.5 s (at
# most 6 tries). The stock 6.1 module reports the totals its estimator last
# folded in from the per-CPU counters (every 2 s), so a read just after the
# traffic stops can miss the last second or two of it.
stat_settled() {
	local a b n=0
	b=$(stat_field "$1" "$2")
	while [ $n -lt 6 ]; do
		a=$b
		nap 2.5
		b=$(stat_field "$1" "$2")
		[ "$a" = "$b" ] && break
		n=$((n + 1))
	done
	echo "$b"
}

# stat_is SVC FIELD VALUE: one number of stat_field is VALUE.
stat_is() {
	[ "$(stat_field "$1" "$2")" = "$3" ]
}

# More client addresses, for tests that tell client networks apart
# (persistence): CL2 shares CL1's /24 (and /64), CL3 is another network,
# routed by the director over the same link.
CL1=10.0.1.2
CL2=10.0.1.3
CL3=10.0.5.2
CL1_6=fd00:1::2
CL2_6=fd00:1::3
CL3_6=fd00:5::2
nat_add_clients() {
	ip -n c addr add $CL2/24 dev veth-c
	ip -n c addr add $CL3/24 dev veth-c
	ip -n c addr add $CL2_6/64 dev veth-c nodad
	ip -n c addr add $CL3_6/64 dev veth-c nodad
	ip -n d addr add 10.0.5.1/24 dev veth-dc
	ip -n d addr add fd00:5::1/64 dev veth-dc nodad
}

# server_of HOST PORT N [SRC]: N TCP connections from the client; prints
# the one real server that answered them all, or "mixed:<names>".
server_of() {
	local names
	names=$(ns c timeout 60 python3 -S "$NATTOOL" tcp-get "$@" | sort -u | tr '\n' ' ')
	names=${names% }
	case $names in
	*' '*|'') echo "mixed:$names" ;;
	*) echo "$names" ;;
	esac
}

# templates: the persistence templates of "ipvsadm -Lnc" (client port 0),
# without the timer column: pro state source virtual destination.
templates() {
	vs -Lnc | awk 'NR > 2 && $4 ~ /:0$/ { print $1, $3, $4, $5, $6 }' | sort
}

# tmpl_secs SOURCE: seconds left on the template of SOURCE (-Lnc mm:ss).
tmpl_secs() {
	vs -Lnc | awk -v s="$1" 'NR > 2 && $4 == s { split($2, t, ":"); print t[1] * 60 + t[2]; exit }'
}

# phases_done DIR NAME...: the end of a differential test: DIR/stock.NAME
# and DIR/ours.NAME are identical for each NAME, ours unloads, the kernel
# log is clean; prints the TAP plan.
phases_done() {
	local dir=$1 f
	shift
	for f; do
		check_same "stock and ours: $f" "$dir/stock.$f" "$dir/ours.$f"
	done
	check "ours: ip_vs unloads" ipvs_unload
	check "kernel log clean" kernel_clean
	tap_done
}
