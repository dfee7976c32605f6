#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm-time: 43 (rough seconds, only for tests/run-all to start the longest files first)
#
# Smoke version of `make bench` (CI keeps the benchmark working; it never
# asserts a timing): the load generator and responder carry a little of each
# case's traffic over plain routing, the stock module and ours, fill the
# table with idle entries, and both ends plus the module's counters agree on
# every connection, byte and datagram; then the same for DR and TUN on a
# LAN segment (bench/lan.sh, topology in tests/lib/lan.sh).
#
#   ns c (client)          ns d (director)                   ns r1, r2
#   10.0.1.2 ---- veth ---- 10.0.1.1, VIP 10.0.1.100
#                           10.0.2.1 ------------ veth ---- 10.0.2.2 (r1)
#                           10.0.3.1 ------------ veth ---- 10.0.3.2 (r2)
. "$IPVSNG_TOP/tests/lib/vm.sh"
. "$IPVSNG_TOP/tests/lib/nat.sh"
. "$IPVSNG_TOP/bench/lib.sh"

BENCH_OUT=/tmp/bench-smoke
mkdir -p $BENCH_OUT
FILL=${BENCH_SMOKE_FILL:-1000}

for path in plain stock ours; do
	bench_path_start $path || { not_ok "$path: setup"; continue; }
	check "$path: bulk 2 MB" bench_lg bulk "$(bench_targets $path tcp)" 2000000
	check "$path: 50 connect-request-close" bench_lg crr "$(bench_targets $path tcp)" 50
	check "$path: 500 UDP request/responses" bench_lg udprr "$(bench_targets $path udp)" 500
	if [ $path != plain ]; then
		check "$path: $FILL idle entries in the table" bench_fill $FILL
		check_eq "$path: the table holds them" $FILL \
			"$(ns d awk '$1 == "UDP" && $5 == "0009"' /proc/net/ip_vs_conn | wc -l)"
		check "$path: crr with the table filled" bench_lg crr "$(bench_targets $path tcp)" 50
	fi
	check "$path: both ends counted the same traffic" bench_path_end
	want=51
	[ $path = plain ] || want=101
	check_eq "$path: loadgen made every connection" $want $SENT_CONNS
done
# The DR and TUN cases (bench/lan.sh), a little of each: it fails when a
# path's traffic or the services' counters do not add up.
"$IPVSNG_TOP/bench/lan.sh" IPVSNG_BENCH_REPS=1 IPVSNG_BENCH_BULK=1000000 \
	IPVSNG_BENCH_CRR=20 IPVSNG_BENCH_UDP=200 >$BENCH_OUT/lan 2>&1
rc=$?
check "DR and TUN: every path carried its traffic (bench/lan.sh)" test $rc = 0
check_eq "DR and TUN: 18 figures" 18 "$(grep -c '^RESULT ' $BENCH_OUT/lan)"
[ $rc = 0 ] || sed 's/^/# /' $BENCH_OUT/lan
check "ip_vs unloads" ipvs_unload
check "kernel log clean" kernel_clean
tap_done
