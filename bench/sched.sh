#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Scheduling cost (guest side; bench/guest.sh runs it at the end of
# `make bench`, or alone: scripts/vm-run --icount bench/sched.sh): the same
# connect-request-close work through a virtual service with each of the 14
# schedulers, at 2, 64 and 1,024 real servers, on the stock module and on
# ours. Output:
#   RESULT sched_<scheduler>_<servers> stock|ours 1 <guest ns> ns
#   RESULT sched_base plain 1 <guest ns> ns      (plain routing, same work)
#   RESULT sched_work plain 1 <connections> conns  (per configuration)
#
# The real servers are addresses of 10.2.0.0/16, all answered by r1 (a local
# route makes r1 own the whole prefix, so one responder serves them all).
#
#   ns c (client)          ns d (director)                   ns r1
#   10.0.1.2 ---- veth ---- 10.0.1.1, VIP 10.0.1.100:81
#                           10.0.2.1 ------------ veth ---- 10.0.2.2, 10.2.0.0/16
#
# Arguments NAME=VALUE: IPVSNG_BENCH_CRR (2000), IPVSNG_BENCH_SCHED
# (all 14), IPVSNG_BENCH_SCHED_N (2 64 1024).
. "$IPVSNG_TOP/tests/lib/vm.sh"
. "$IPVSNG_TOP/tests/lib/nat.sh"
. "$IPVSNG_TOP/bench/lib.sh"

bench_args "$@"
CRR=${IPVSNG_BENCH_CRR:-2000}
SCHEDS=${IPVSNG_BENCH_SCHED:-rr wrr lc wlc sed nq fo ovf lblc lblcr dh sh mh twos}
SIZES=${IPVSNG_BENCH_SCHED_N:-2 64 1024}
BENCH_OUT=/tmp/bench-sched
mkdir -p $BENCH_OUT
SVC=$VIP:81

# rules SCHED N: an ipvsadm -R script for the service and its N servers.
rules() {
	local i
	echo "-A -t $SVC -s $1"
	for ((i = 0; i < $2; i++)); do
		echo "-a -t $SVC -r 10.2.$((i / 250)).$((i % 250 + 1)):5000 -m"
	done
}

# one_sched PATH SCHED N [warmup]: measure one configuration and check that
# the service scheduled exactly the connections made.
one_sched() {
	local path=$1 s=$2 n=$3 warmup=${4:-}
	# Linux 6.1's stock modules have no twos (it came in 6.2).
	if ! modprobe -q "ip_vs_$s"; then
		echo "# $path: no ip_vs_$s module, $s not measured"
		return 0
	fi
	rules "$s" "$n" | vs -R || { bench_fail "$path: $s with $n servers"; return 1; }
	nstat_mark c d r1
	bench_lg crr "$SVC" "$CRR" || return 1
	[ -n "$warmup" ] || result_line "sched_${s}_$n" "$path" "$BENCH_LAST_NS"
	syn_retrans "$path: $s/$n"
	# Idle time in the run: what the namespaces counted meanwhile.
	[ "$BENCH_LAST_IDLE" = 0 ] || nstat_moved "$path: $s/$n" c d r1
	wait_for "$s counters" 10 stat_is "$SVC" 1 "$CRR" ||
		{ bench_fail "$path: $s/$n scheduled $(stat_field "$SVC" 1) of $CRR"; return 1; }
	# Not a virtual service bench_path_end knows about.
	VS_CONNS=$((VS_CONNS - CRR))
	vs -D -t "$SVC"
}

# syn_retrans WHAT: say how many SYNs the client sent again during the
# last run (since nstat_mark; -s leaves the mark for nstat_moved): each
# one is a second of guest time.
syn_retrans() {
	local k
	k=$(NSTAT_HISTORY=/tmp/nstat.c ns c nstat -s -z TcpExtTCPSynRetrans |
		awk '$1 == "TcpExtTCPSynRetrans" { print $2 }')
	[ "${k:-0}" = 0 ] || echo "# $1: the client sent $k SYNs again"
}

result_line() {
	echo "RESULT $1 $2 1 $3 ns"
}

head -c1 /dev/random >/dev/null
failed=0
echo "RESULT sched_work plain 1 $CRR conns"
for path in plain stock ours; do
	bench_path_start $path || { failed=1; continue; }
	ip -n r1 route add local 10.2.0.0/16 dev lo
	ip -n d route add 10.2.0.0/16 via $RS1
	if [ $path = plain ]; then
		bench_lg crr "$(bench_targets plain tcp)" "$CRR" &&
		result_line sched_base plain "$BENCH_LAST_NS" || failed=1
	else
		# Warm-up, not reported: the first round in a boot runs slower.
		one_sched $path rr 2 warmup || failed=1
		for n in $SIZES; do
			for s in $SCHEDS; do
				one_sched $path "$s" "$n" || failed=1
			done
		done
	fi
	bench_path_end || failed=1
done
ipvs_unload
check "every scheduled connection carried and counted" test $failed = 0
tap_done
