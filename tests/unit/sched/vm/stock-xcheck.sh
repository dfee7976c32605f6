#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Does a given client land on the same real server as with the stock
# modules? Real packets (spoofed TCP SYNs and UDP datagrams from a client
# namespace) go through a scheduler of the loaded ip_vs; the choices, read
# back from the connection table, are compared with those of
# tests/unit/sched/build/predict, which runs ipvs-ng's scheduling rules
# (the modules' logic headers) on the same server list, in the order the
# module lists it.
#
# Phase "stock" (default) checks our rules against the stock modules'
# data plane: hash functions, table layouts and probe orders of sh, dh and
# mh with their flags, lblc/lblcr caching, and the tie-breaking of the
# least-connection family. Phase "ours" runs the same scenarios on our
# modules: both agreeing with one predictor is stock and ours agreeing.
# tests/vm/sched.sh runs both phases, stock first.
#
#   make -C tests/unit/sched build/predict
#   scripts/vm-run tests/unit/sched/vm/stock-xcheck.sh [stock] [ours]
#
#   client netns "cl" 10.99.0.2/16 --veth-- 10.99.0.1/16 director (init netns)
#   VIP 10.0.0.1 and 12.0.0.0/8 (fwmark 1) local on the director; real
#   servers 10.99.K.101.. for scenario K (direct routing: nothing answers,
#   the connection entry is all we need)
. "$IPVSNG_TOP/tests/lib/vm.sh"

IPVSADM=$STOCK_IPVSADM
HERE=$IPVSNG_TOP/tests/unit/sched
PRED=$HERE/build/predict
SEND=$HERE/vm/synsend.py
W=$(mktemp -d)

if [ ! -x "$PRED" ]; then
	skip "stock comparison: predictor not built (make -C tests/unit/sched build/predict)"
	tap_done
	exit 0
fi

net_setup() {
	ip netns del cl 2>/dev/null
	ip netns add cl
	ip link add veth0 type veth peer name veth1 netns cl
	ip addr add 10.99.0.1/16 dev veth0
	ip link set veth0 up
	ip link set lo up
	ip -n cl addr add 10.99.0.2/16 dev veth1
	ip -n cl link set veth1 up
	ip -n cl link set lo up
	ip -n cl route add default via 10.99.0.1
	ip addr add 10.0.0.1/32 dev lo 2>/dev/null
	ip route add local 12.0.0.0/8 dev lo 2>/dev/null
	for c in all default veth0 lo; do
		sysctl -qw net.ipv4.conf.$c.rp_filter=0
	done
	iptables -t mangle -F PREROUTING 2>/dev/null
	iptables -t mangle -A PREROUTING -d 12.0.0.0/8 -j MARK --set-mark 1
}

# The real servers of the only service, in list order (ipvsadm sorts
# unless told not to): "address port weight active inactive".
servers_now() {
	$IPVSADM -Ln --nosort | awk '$1 == "->" && $2 != "RemoteAddress:Port" {
		n = split($2, p, ":")
		print p[1], (n > 1 ? p[2] : 0), $4, $5, $6
	}'
}

# send_and_read NAME CONNFILE: send CONNFILE's packets, then write the
# real server each connection got ("none": no entry) to $W/NAME.seen.
send_and_read() {
	local name=$1 conns=$2
	taskset -c 0 ip netns exec cl python3 "$SEND" "$conns"
	sleep 1
	awk '{ print $2 ":" $3 " " $4 ":" $5 " " }' "$conns" >"$W/$name.keys"
	# Two listings, merged: the connection listing is not a snapshot, and
	# entries of earlier scenarios expiring while it is read can make it
	# skip one (seen once with the stock module).
	{ $IPVSADM -Lnc; $IPVSADM -Lnc; } |
		awk 'NR > 2 && $1 != "IPVS" && $1 != "pro" { d = $6; sub(/:[0-9]+$/, "", d); print $4, $5, d }' |
		grep -F -f "$W/$name.keys" | sort -u >"$W/$name.seen"
	# Connections that got no entry were refused ("none").
	awk -v seen_file="$W/$name.seen" 'FILENAME == seen_file { seen[$1 " " $2] = 1; next }
	     !(($2 ":" $3 " " $4 ":" $5) in seen) { print $2 ":" $3, $4 ":" $5, "none" }' \
		"$W/$name.seen" "$conns" >>"$W/$name.seen"
	sort -o "$W/$name.seen" "$W/$name.seen"
}

# scenario NAME SCHED_LINE CONNFILE: send, read back, predict, compare.
scenario() {
	local name=$1 sched=$2 conns=$3 count
	servers_now >"$W/$name.servers"
	send_and_read "$name" "$conns"
	# Which counter the data plane bumped for these connections (TCP to a
	# direct-routing server counts as active on the stock module).
	count=$(servers_now | awk '{ a += $4; i += $5 } END { print (a > i ? "active" : "inactive") }')

	{
		echo "sched $sched"
		echo "af 4"
		echo "count $count"
		# Quiesced servers carry their last weight.
		while read -r ip port w act inact; do
			l=$w
			case " $LASTW " in *" $ip="*) l=${LASTW#*"$ip="}; l=${l%% *} ;; esac
			echo "server $ip $port $w $l $act $inact"
		done <"$W/$name.servers"
		sed 's/^/conn /' "$conns"
	} >"$W/$name.in"
	"$PRED" <"$W/$name.in" | sort >"$W/$name.want"

	if cmp -s "$W/$name.want" "$W/$name.seen"; then
		ok "$PHASE: $name: $(wc -l <"$conns") connections land as predicted ($count)"
	else
		not_ok "$PHASE: $name: $(wc -l <"$conns") connections land as predicted ($count)"
		awk '{ print $1 "|" $2, $3 }' "$W/$name.want" >"$W/a"
		awk '{ print $1 "|" $2, $3 }' "$W/$name.seen" >"$W/b"
		diag "$(join -j1 "$W/a" "$W/b" |
			awk '$2 != $3 { n++; if (n <= 12) print $1, "predicted", $2, "seen", $3 }
			     END { print n + 0, "differ" }')"
		diag "$($IPVSADM -Ln --nosort | head -12)"
	fi
}

# conns K N [MODE]: N connections from the 11.K.0.0/16 range.
#   clients: distinct client addresses to the VIP, random ports
#   ports:   3 client addresses, many ports
#   dests:   fixed client, N destinations in 12.K.0.0/16 (fwmark service)
#   repeat:  fixed client, 40 destinations, each used several times
conns() {
	local k=$1 n=$2 mode=${3:-clients} proto=${4:-tcp} i
	for ((i = 0; i < n; i++)); do
		case $mode in
		clients) echo "$proto 11.$k.$((i * 37 % 251)).$((i % 250 + 1)) $((1024 + i * 7919 % 60000)) 10.0.0.1 80" ;;
		ports) echo "$proto 11.$k.0.$((i % 3 + 1)) $((2000 + i * 131)) 10.0.0.1 80" ;;
		dests) echo "$proto 11.$k.0.1 $((3000 + i)) 12.$k.$((i * 53 % 256)).$((i % 254 + 1)) 80" ;;
		repeat) echo "$proto 11.$k.0.1 $((3000 + i)) 12.$k.0.$((i * 7 % 40 + 1)) 80" ;;
		esac
	done
}

# service SVC OPTS "W1 W2 ..." [LINE...]: the table for scenario $k: only
# SVC (ipvsadm -A SVC OPTS), one direct-routing real server per weight at
# 10.99.$k.101..., then the -R LINEs; one upstream -R for all of it (its
# status only tells about the last line, so the servers are counted).
# Fresh addresses in every scenario: re-adding an address would revive the
# previous scenario's server from the trash, connection counts included.
service() {
	local svc=$1 opts=$2 in w i=101 n=0 l
	in="-C"$'\n'"-A $svc $opts"
	for w in $3; do
		in+=$'\n'"-a $svc -r 10.99.$k.$i -g -w $w"
		i=$((i + 1)) n=$((n + 1))
	done
	shift 3
	for l in "$@"; do in+=$'\n'$l; done
	$IPVSADM -R <<<"$in"
	[ "$($IPVSADM -Sn | grep -c '^-a')" = $n ] && return
	not_ok "$PHASE: scenario $k: service with $n real servers set up"
	return 1
}

run_phase() {
	local k=0
	ipvs_phase "$1" || { not_ok "$1: load ip_vs"; return; }
	net_setup
	LASTW=

	for s in sh mh; do
		k=$((k + 1))
		service "-t 10.0.0.1:80" "-s $s" "1 2 1 3 1 2" &&
			conns $k 300 >"$W/c$k" && scenario "$s" "$s" "$W/c$k"

		k=$((k + 1))
		service "-t 10.0.0.1:80" "-s $s -b $s-port" "1 1 2 1" &&
			conns $k 200 ports >"$W/c$k" && scenario "$s-port" "$s port" "$W/c$k"

		# Quiesce two servers after adding them (mh keeps their slots).
		k=$((k + 1))
		LASTW="10.99.$k.102=2 10.99.$k.104=1"
		service "-u 10.0.0.1:80" "-s $s -b $s-fallback,$s-port" "2 2 3 1 2" \
			"-e -u 10.0.0.1:80 -r 10.99.$k.102 -g -w 0" \
			"-e -u 10.0.0.1:80 -r 10.99.$k.104 -g -w 0" &&
			conns $k 300 clients udp >"$W/c$k" &&
			scenario "$s-fallback-port" "$s fallback port" "$W/c$k"
		LASTW=
	done

	k=$((k + 1))
	service "-f 1" "-s dh" "1 5 1 1 2" &&
		conns $k 300 dests >"$W/c$k" && scenario dh dh "$W/c$k"

	for s in lblc lblcr; do
		k=$((k + 1))
		service "-f 1" "-s $s" "1 3 2 1" &&
			conns $k 160 repeat >"$W/c$k" && scenario $s $s "$W/c$k"
	done

	for s in lc wlc sed nq fo ovf; do
		k=$((k + 1))
		service "-t 10.0.0.1:80" "-s $s" "1 3 0 2 2 1" &&
			conns $k 60 >"$W/c$k" && scenario $s $s "$W/c$k"
	done

	# A live scheduler change (-E -s): connections made under sh keep
	# their real servers (their SYNs sent again find their entries), new
	# ones are placed by wlc, counting the old ones.
	k=$((k + 1))
	if service "-t 10.0.0.1:80" "-s sh" "1 3 2 2"; then
		conns $k 120 >"$W/c$k"
		head -n 60 "$W/c$k" >"$W/c$k.old"
		tail -n 60 "$W/c$k" >"$W/c$k.new"
		scenario switch-sh sh "$W/c$k.old"
		check "$PHASE: ipvsadm -E -s wlc on the live service" \
			$IPVSADM -E -t 10.0.0.1:80 -s wlc
		scenario switch-to-wlc wlc "$W/c$k.new"
		send_and_read switch-old-again "$W/c$k.old"
		check_same "$PHASE: after the switch, the 60 old connections keep their servers" \
			"$W/switch-sh.seen" "$W/switch-old-again.seen"
	fi
	$IPVSADM -C
	ip netns del cl
	ip link del veth0 2>/dev/null
}

for p in ${*:-stock}; do
	run_phase "$p"
done
check "kernel log clean" kernel_clean
rm -rf "$W"
tap_done
