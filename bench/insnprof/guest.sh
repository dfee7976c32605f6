#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Guest side of bench/insnprof/run: the NAT topology of bench/guest.sh, and
# for each path a warm-up, then UDP request/responses and TCP
# connect-request-close cycles between marks. A mark is a sethostname()
# call: the insnprof plugin writes a snapshot of its counters when the
# kernel enters it. Prints "MARK k LABEL" per mark (k counts from the
# first mark of this script) and leaves /proc/kallsyms of each path in the
# results share, for the report to name the code.
#
#   ns c (client)          ns d (director)                   ns r1, r2
#   10.0.1.2 ---- veth ---- 10.0.1.1, VIP 10.0.1.100
#                           10.0.2.1 ------------ veth ---- 10.0.2.2 (r1)
#                           10.0.3.1 ------------ veth ---- 10.0.3.2 (r2)
#
# Knobs (arguments NAME=VALUE): IPVSNG_PROF_UDP (5000), IPVSNG_PROF_CRR
# (500), IPVSNG_BENCH_PATHS (plain ours).
. "$IPVSNG_TOP/tests/lib/vm.sh"
. "$IPVSNG_TOP/tests/lib/nat.sh"
. "$IPVSNG_TOP/bench/lib.sh"

for kv; do
	case $kv in
	IPVSNG_PROF_UDP=* | IPVSNG_PROF_CRR=* | IPVSNG_BENCH_PATHS=*) declare -g "$kv" ;;
	*) echo "guest.sh: bad argument $kv" >&2; exit 2 ;;
	esac
done
U=${IPVSNG_PROF_UDP:-5000} C=${IPVSNG_PROF_CRR:-500}
BENCH_OUT=/tmp/bench
mkdir -p $BENCH_OUT
head -c1 /dev/random >/dev/null
sysctl -qw net.core.netdev_max_backlog=100000

k=0
mark() {
	hostname "insnprof$k"
	echo "MARK $k $*"
	k=$((k + 1))
}

rc=0
for path in ${IPVSNG_BENCH_PATHS:-plain ours}; do
	bench_path_start "$path" || { bench_fail "$path: setup"; rc=1; continue; }
	udp=$(bench_targets "$path" udp) tcp=$(bench_targets "$path" tcp)
	bench_lg udprr "$udp" $((U / 10)) && bench_lg crr "$tcp" $((C / 10)) || rc=1
	cat /proc/kallsyms >"/mnt/kallsyms.$path"
	mark "$path start"
	bench_lg udprr "$udp" "$U" || rc=1
	mark "$path udprr $U"
	bench_lg crr "$tcp" "$C" || rc=1
	mark "$path crr $C"
	bench_path_end || rc=1
done
ipvs_unload
exit $rc
