# SPDX-License-Identifier: GPL-2.0
#
# Guest-side helpers shared by the data-plane benchmark (bench/guest.sh) and
# its CI smoke test (tests/vm/bench-smoke.sh); sourced after tests/lib/vm.sh
# and tests/lib/nat.sh (the client / director / two real servers topology).
#
# Paths: "plain" routes the client's traffic through the director to the real
# servers' own addresses with no IPVS module loaded (the limit); "stock" and
# "ours" send it to the virtual services of the loaded module:
#   TCP 10.0.1.100:80 and UDP 10.0.1.100:53 -> r1, r2 :5000 (rr, masquerading)
#   UDP 10.0.1.100:9  -> r1, r2 :9 (a sink: fills the table with idle entries)
# Direct traffic uses server port 5001, never 5000: a leftover NAT entry must
# not be able to rewrite a direct flow's replies.

# bench_args NAME=VALUE...: the IPVSNG_BENCH_* settings a driver was given.
bench_args() {
	local kv
	for kv; do
		case $kv in
		IPVSNG_BENCH_[A-Z_]*=*) declare -g "$kv" ;;
		*) echo "$(basename "$0"): bad argument $kv" >&2; exit 2 ;;
		esac
	done
}

BENCH_BIN=$IPVSNG_TOP/bench/bin
LOADGEN=$BENCH_BIN/loadgen
RESPONDER=$BENCH_BIN/responder
FILL_PORT=9

# What loadgen reported this path (client end) and what the responders
# counted (server end); bench_path_end compares them.
SENT_CONNS=0 SENT_TCP_BYTES=0 SENT_DGRAMS=0 VS_CONNS=0 VS_DGRAMS=0
BENCH_PATH=
BENCH_FILLED=0
BENCH_LAST_NS=

bench_fail() {
	echo "# BENCH FAIL: $*"
	return 1
}

# bench_targets PATH tcp|udp: what loadgen connects to on PATH.
bench_targets() {
	case $1:$2 in
	plain:tcp) echo "$RS1:5001,$RS2:5001" ;;
	plain:udp) echo "$RS1:5001" ;;
	*:tcp) echo "$VIP:80" ;;
	*:udp) echo "$VIP:53" ;;
	esac
}

responders_up() {
	listening r1 tcp 5001 && listening r2 tcp 5001 && listening r2 udp $FILL_PORT
}

# bench_client_ports: the client's ephemeral range for every phase (NAT,
# DR/TUN, schedulers). With the default 28,232 ports a phase's ~6,200
# connections to one VIP go round it (connect() moves ~9 ports each), and
# a port whose TIME_WAIT (60 s) has gone can land on a director entry of
# an earlier connection still in FIN_WAIT (120 s, DR/TUN): that one is
# neither scheduled nor counted (bench/lan.sh's guard failed so,
# stock.tun 5,639 of 6,204, when the guest clock jumped over a host
# stall). 64,512 ports are not gone round (6,204 x ~9 = ~56,000).
bench_client_ports() {
	ns c sysctl -qw net.ipv4.ip_local_port_range="1024 65535"
}

# bench_path_start plain|stock|ours: fresh topology, the path's module state,
# virtual services, responders.
bench_path_start() {
	local path=$1 n
	BENCH_PATH=$path
	SENT_CONNS=0 SENT_TCP_BYTES=0 SENT_DGRAMS=0 VS_CONNS=0 VS_DGRAMS=0 BENCH_FILLED=0
	nat_cleanup
	# A deleted namespace's services (and the scheduler modules they hold)
	# go away asynchronously; a full table takes a while.
	wait_for "the previous module unloads" 300 ipvs_unload || {
		bench_fail "$path: cannot unload: $(grep '^ip_vs' /proc/modules | tr '\n' ' ')"
		return 1
	}
	[ "$path" = plain ] || ipvs_phase "$path" || return 1
	nat_setup || return 1
	ip -n c route add default via 10.0.1.1
	bench_client_ports
	# Table-filling datagrams come from 10.128.0.0/9 (loadgen fill).
	ip -n d route add 10.128.0.0/9 via 10.0.1.2
	for n in r1 r2; do
		bg "$n" "$RESPONDER" -k $FILL_PORT 5000 5001 >"$BENCH_OUT/$path.$n.count"
	done
	wait_for "responders" 20 responders_up || return 1
	[ "$path" = plain ] && return 0
	vs --set 0 0 7200 &&
	vs -A -t $VIP:80 -s rr &&
	vs -a -t $VIP:80 -r $RS1:5000 -m &&
	vs -a -t $VIP:80 -r $RS2:5000 -m &&
	vs -A -u $VIP:53 -s rr &&
	vs -a -u $VIP:53 -r $RS1:5000 -m &&
	vs -a -u $VIP:53 -r $RS2:5000 -m &&
	vs -A -u $VIP:$FILL_PORT -s rr &&
	vs -a -u $VIP:$FILL_PORT -r $RS1:$FILL_PORT -m &&
	vs -a -u $VIP:$FILL_PORT -r $RS2:$FILL_PORT -m
}

# tw_room N: wait until the client can put N more sockets in TIME_WAIT and
# hold at most TW_MAX. The client closes first, so every connection leaves
# one for 60 s. connect() takes the even ports of the range (32,256) first;
# once all are in TIME_WAIT to the same destination it scans them all for
# each connection (~9 ms of guest CPU each: 18.8 s instead of 0.4 s for
# 2,000). A 6 GB guest allows 32,768 per namespace, so sched.sh's 84,000
# connections per module hit it. Capping TIME_WAIT instead would make later
# runs skip it and cost less. Under icount the guest clock jumps over the
# idle wait, which is outside any measurement.
TW_MAX=24000
tw_count() {
	ns c awk '$1 == "TCP:" { for (i = 2; i < NF; i++) if ($i == "tw") print $(i + 1) }' \
		/proc/net/sockstat
}
tw_room() {
	local t
	for ((t = 0; t < 90; t++)); do
		if [ $(($(tw_count) + $1)) -le $TW_MAX ]; then
			[ $t = 0 ] || echo "# $BENCH_PATH: waited ${t} s for TIME_WAIT sockets to expire"
			return 0
		fi
		sleep 1
	done
	bench_fail "$BENCH_PATH: $(tw_count) client sockets still in TIME_WAIT after 90 s"
	return 1
}

# bench_lg MODE TARGETS N: one loadgen run from the client; sets
# BENCH_LAST_NS and adds to the client-side totals (VS_*: the part sent to
# the virtual services).
bench_lg() {
	local out ns conns bytes dgrams idle
	[ "$1" != crr ] || tw_room "$3" || return 1
	out=$(ns c "$LOADGEN" "$@") || { bench_fail "$BENCH_PATH: loadgen $*"; return 1; }
	read -r _ ns _ conns _ bytes _ dgrams _ idle <<<"$out"
	BENCH_LAST_NS=$ns
	# Idle time inside a measurement is waiting (a lost packet's timer,
	# say), not work: say so when it is more than 1 % of the figure.
	BENCH_LAST_IDLE=0
	[ $((idle * 100000000)) -le "$ns" ] || {
		echo "# $BENCH_PATH: loadgen $1: the guest sat idle $idle ms of the" \
			"$((ns / 1000000)) ms measured"
		BENCH_LAST_IDLE=1
	}
	SENT_CONNS=$((SENT_CONNS + conns))
	SENT_DGRAMS=$((SENT_DGRAMS + dgrams))
	[ "$1" = udprr ] || SENT_TCP_BYTES=$((SENT_TCP_BYTES + bytes))
	case $2 in
	$VIP:*) VS_CONNS=$((VS_CONNS + conns)) VS_DGRAMS=$((VS_DGRAMS + dgrams)) ;;
	esac
}

# nstat_mark NS...: start counting the namespaces' SNMP counters;
# nstat_moved WHAT NS...: print those about losses and timers that moved.
nstat_mark() {
	local n
	for n; do NSTAT_HISTORY=/tmp/nstat.$n ns "$n" nstat -n; done
}
nstat_moved() {
	local n what=$1
	shift
	for n; do
		NSTAT_HISTORY=/tmp/nstat.$n ns "$n" nstat |
			grep -E 'Retrans|Timeout|Drop|Overflow|Fail|Prune|Reset|Abort|Err' |
			sed "s/^/# $what: $n: /"
	done
}

# bench_fill TOTAL: add idle UDP entries until TOTAL have been created (the
# fill service's connection counter says how many the module created).
bench_fill() {
	local want=$1 out fns t0
	t0=$("$LOADGEN" now)
	out=$(ns c "$LOADGEN" fill "$VIP:$FILL_PORT" $((want - BENCH_FILLED)) $BENCH_FILLED) ||
		{ bench_fail "$BENCH_PATH: fill to $want"; return 1; }
	BENCH_FILLED=$want
	# (The stock module publishes its counters from its 2 s estimator timer.)
	wait_for "fill counted" 10 stat_is "$VIP:$FILL_PORT" 1 "$want" || {
		bench_fail "$BENCH_PATH: fill created $(stat_field "$VIP:$FILL_PORT" 1) entries," \
			"expected $want"
		return 1
	}
	read -r _ fns _ <<<"$out"
	echo "# $BENCH_PATH: filled to $want entries: sending took $((fns / 1000000)) ms," \
		"with the count $(( ($("$LOADGEN" now) - t0) / 1000000 )) ms of guest time"
}

# bench_path_end: stop the responders and compare both ends' counts; on a
# module path also the virtual services' own counters.
bench_path_end() {
	local rc=0
	if [ "$BENCH_PATH" != plain ]; then
		wait_for "TCP service counters" 10 stat_is "$VIP:80" 1 "$VS_CONNS" ||
			bench_fail "$BENCH_PATH: TCP service counted $(stat_field "$VIP:80" 1)" \
				"connections, the client made $VS_CONNS" || rc=1
		wait_for "UDP service counters" 10 stat_is "$VIP:53" 2 "$VS_DGRAMS" ||
			bench_fail "$BENCH_PATH: UDP service counted $(stat_field "$VIP:53" 2)" \
				"packets, the client sent $VS_DGRAMS" || rc=1
	fi
	bench_servers_agree || rc=1
	nat_cleanup
	return $rc
}

# bench_servers_agree: stop the responders; what they counted (r1 + r2)
# equals what loadgen sent on this path.
bench_servers_agree() {
	local p c=0 b=0 d=0 tc tb ud
	nat_stop
	for p in r1 r2; do
		read -r _ tc _ tb _ ud _ <"$BENCH_OUT/$BENCH_PATH.$p.count" ||
			bench_fail "$BENCH_PATH: no count from $p" || return 1
		c=$((c + tc)) b=$((b + tb)) d=$((d + ud))
	done
	[ "$c $b $d" = "$SENT_CONNS $SENT_TCP_BYTES $SENT_DGRAMS" ] ||
		bench_fail "$BENCH_PATH: servers counted conns/bytes/dgrams $c $b $d," \
			"client $SENT_CONNS $SENT_TCP_BYTES $SENT_DGRAMS"
}

# bench_work: the work sizes and paths of the IPVSNG_BENCH_* knobs
# (bench_args), with their defaults.
bench_work() {
	REPS=${IPVSNG_BENCH_REPS:-3}
	BULK=${IPVSNG_BENCH_BULK:-200000000}
	CRR=${IPVSNG_BENCH_CRR:-2000}
	UDP=${IPVSNG_BENCH_UDP:-20000}
	PATHS=${IPVSNG_BENCH_PATHS:-plain stock ours}
}

result() {
	echo "RESULT $*"
}
