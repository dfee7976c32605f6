#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The DR and TUN (ipip) cases of the data-plane benchmark, guest side:
# bench/guest.sh runs this after the NAT paths, in the same boot. On the one
# Ethernet segment of tests/lib/lan.sh, the client reaches the virtual
# service VIP:5000 (TCP and UDP, rr over r1 and r2, -g or -i); the real
# servers hold the VIP on lo and answer the client directly. "plain" is the
# client talking to the real servers' own addresses (port 5001) with no
# director in the way at all: the limit, shared by both methods.
#
#   ns c (client)   ns d (director)   ns r1, r2 (VIP on lo; tunl0 for TUN)
#   10.0.0.2        10.0.0.1          10.0.0.11, 10.0.0.12
#   ----------------- br0 (ns sw) ---------------------------------
#
# Output: RESULT lines as guest.sh's (cases dr_tcp_bulk, dr_tcp_crr,
# dr_udp_rr, tun_tcp_bulk, tun_tcp_crr, tun_udp_rr). Each path's traffic
# is checked at both ends and against the service counters; a mismatch
# fails the run.
#
#   bench/lan.sh IPVSNG_BENCH_*=...   (REPS, BULK, CRR, UDP, PATHS)
. "$IPVSNG_TOP/tests/lib/vm.sh"
. "$IPVSNG_TOP/tests/lib/nat.sh"
. "$IPVSNG_TOP/tests/lib/lan.sh"
. "$IPVSNG_TOP/tests/lib/tun.sh"
. "$IPVSNG_TOP/bench/lib.sh"
bench_args "$@"
bench_work
BENCH_OUT=/tmp/bench-lan
mkdir -p $BENCH_OUT

# lan_start PATH METHOD: fresh segment, PATH's module and services.
lan_start() {
	local path=$1 m=$2 opt=-g p
	BENCH_PATH=$path.$m
	SENT_CONNS=0 SENT_TCP_BYTES=0 SENT_DGRAMS=0 VS_CONNS=0 VS_DGRAMS=0
	lan_cleanup
	wait_for "the previous module unloads" 300 ipvs_unload || return 1
	[ "$path" = plain ] || ipvs_phase "$path" || return 1
	lan_setup || return 1
	bench_client_ports
	if [ "$m" = tun ]; then
		tun_rs ipip 4 || return 1
		opt=$(tun_opts ipip)
	fi
	for p in r1 r2; do
		bg "$p" "$RESPONDER" 5000 5001 >"$BENCH_OUT/$BENCH_PATH.$p.count"
	done
	wait_for "responders" 20 lan_responders_up || return 1
	[ "$path" = plain ] && return 0
	for p in -t -u; do
		vs -A $p $VIP:5000 -s rr &&
		vs -a $p $VIP:5000 -r $RS1:5000 $opt &&
		vs -a $p $VIP:5000 -r $RS2:5000 $opt || return 1
	done
}

lan_responders_up() {
	listening r1 tcp 5001 && listening r2 tcp 5001 && listening r2 udp 5000
}

# lan_end: both ends' counts and the services' counters agree.
lan_end() {
	local rc=0
	if [ "${BENCH_PATH%.*}" != plain ]; then
		wait_for "TCP service counters" 10 proto_stat_is TCP $VIP:5000 1 "$VS_CONNS" ||
			bench_fail "$BENCH_PATH: TCP service counted" \
				"$(proto_stat TCP $VIP:5000 1) connections, the client made $VS_CONNS" ||
			rc=1
		wait_for "UDP service counters" 10 proto_stat_is UDP $VIP:5000 2 "$VS_DGRAMS" ||
			bench_fail "$BENCH_PATH: UDP service counted" \
				"$(proto_stat UDP $VIP:5000 2) packets, the client sent $VS_DGRAMS" ||
			rc=1
	fi
	bench_servers_agree || rc=1
	lan_cleanup
	return $rc
}

# lan_cases PATH METHOD...: warm-up, then REPS rounds of bulk / crr / udp;
# plain's figures serve every method.
lan_cases() {
	local path=$1 tcp udp rep m
	shift
	if [ "$path" = plain ]; then
		tcp=$RS1:5001,$RS2:5001 udp=$RS1:5001
	else
		tcp=$VIP:5000 udp=$VIP:5000
	fi
	bench_lg bulk "$tcp" $((BULK / 10)) &&
	bench_lg crr "$tcp" $((CRR / 10)) &&
	bench_lg udprr "$udp" $((UDP / 10)) || return 1
	for rep in $(seq "$REPS"); do
		bench_lg bulk "$tcp" "$BULK" || return 1
		for m; do result "${m}_tcp_bulk" "$path" "$rep" "$BENCH_LAST_NS" ns; done
		bench_lg crr "$tcp" "$CRR" || return 1
		for m; do result "${m}_tcp_crr" "$path" "$rep" "$BENCH_LAST_NS" ns; done
		bench_lg udprr "$udp" "$UDP" || return 1
		for m; do result "${m}_udp_rr" "$path" "$rep" "$BENCH_LAST_NS" ns; done
	done
}

# proto_stat PROTO SVC FIELD: stat_field of the PROTO service (the TCP and
# the UDP one share their address here).
proto_stat() {
	vs -Ln --stats --exact | awk -v p="$1" -v s="$2" -v f="$3" \
		'$1 == p && $2 == s { print $(f + 2); exit }'
}

proto_stat_is() {
	[ "$(proto_stat "$1" "$2" "$3")" = "$4" ]
}

failed=0
for path in $PATHS; do
	if [ "$path" = plain ]; then
		lan_start plain dr && lan_cases plain dr tun && lan_end || failed=1
		continue
	fi
	for m in dr tun; do
		lan_start "$path" $m && lan_cases "$path" $m && lan_end || failed=1
	done
done
lan_cleanup
ipvs_unload
[ $failed = 0 ]
