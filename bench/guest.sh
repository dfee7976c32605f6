#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Benchmark driver, guest side: bench/run boots the VM in instruction-counting
# mode (scripts/vm-run --icount) and runs this once. Every measurement is the
# guest's CLOCK_MONOTONIC around a fixed amount of work done by one loadgen
# process, so it counts instructions, not host speed. Output for
# bench/report.py, one line per measurement:
#   RESULT <case> <path> <repetition> <value> <unit>
#
# Order (the first round of a boot runs slower, so every path sees the same
# sequence in the same position): for each path plain, stock, ours: a
# discarded warm-up, then REPS rounds of bulk / crr / udp; on the module
# paths the table is then filled with idle entries level by level and crr is
# measured at each level, through the virtual service and (routed_*) to the
# real servers' own addresses. Last, the control plane (bench/restore.sh).
#
#   ns c (client)          ns d (director)                   ns r1, r2
#   10.0.1.2 ---- veth ---- 10.0.1.1, VIP 10.0.1.100
#                           10.0.2.1 ------------ veth ---- 10.0.2.2 (r1)
#                           10.0.3.1 ------------ veth ---- 10.0.3.2 (r2)
#
# Knobs: arguments NAME=VALUE (bench/run passes its IPVSNG_BENCH_* ones;
# the harness sources but does not export the environment it forwards):
#   IPVSNG_BENCH_REPS   rounds per case and path (3)
#   IPVSNG_BENCH_BULK   bytes of the bulk transfer (200000000)
#   IPVSNG_BENCH_CRR    connect-request-close cycles (2000)
#   IPVSNG_BENCH_UDP    UDP request/responses (20000)
#   IPVSNG_BENCH_SCALE  idle-entry levels for crr (100000 1000000 2000000); "" skips.
#                       2000000 works too (give the VM 4G) but the fill's
#                       wall time grows fast under TCG: an hour or more.
#   IPVSNG_BENCH_NSVC   services for restore/list/flush (10000); 0 skips
#   IPVSNG_BENCH_PATHS  paths to run (plain stock ours)
#   IPVSNG_BENCH_LAN    0 skips the DR and TUN cases (bench/lan.sh)
#   IPVSNG_BENCH_SCHED_N  real-server counts for bench/sched.sh (2 64 1024);
#                       "" skips the scheduler cases
. "$IPVSNG_TOP/tests/lib/vm.sh"
. "$IPVSNG_TOP/tests/lib/nat.sh"
. "$IPVSNG_TOP/bench/lib.sh"

bench_args "$@"
bench_work
SCALE=${IPVSNG_BENCH_SCALE-100000 1000000 2000000}
SCHED_N=${IPVSNG_BENCH_SCHED_N-2 64 1024}
NSVC=${IPVSNG_BENCH_NSVC:-10000}
BENCH_OUT=/tmp/bench
mkdir -p $BENCH_OUT
ulimit -n 65536

level_name() {
	case $1 in
	*000000) echo "$(($1 / 1000000))m" ;;
	*000) echo "$(($1 / 1000))k" ;;
	*) echo "$1" ;;
	esac
}

meminfo() {
	awk -v k="$1:" '$1 == k { printf "%d\n", $2 * 1024 }' /proc/meminfo
}

# Slab bytes of the ip_vs_conn cache per active object (slab_nomerge keeps
# the cache on its own line; empty if it is merged away).
conn_obj_bytes() {
	awk '$1 == "ip_vs_conn" && $2 > 0 { printf "%d", $15 * $6 * 4096 / $2 }' /proc/slabinfo
}

# scale PATH: fill level by level, crr at each. Memory per connection over
# the last fill: mem_per_conn is the ip_vs_conn cache's slab bytes per live
# object (what slabinfo shows; the issue's yardstick), slab_delta_per_conn
# the growth of all slab memory per entry added (table buckets included
# when they come from slab).
scale() {
	local path=$1 n prev=0 name rep slab0 obj
	for n in $SCALE; do
		name=$(level_name "$n")
		slab0=$(meminfo Slab)
		bench_fill "$n" || return 1
		if [ "$n" = "${SCALE##* }" ]; then
			result slab_delta_per_conn "$path" 1 \
				$(( ($(meminfo Slab) - slab0) / (n - prev) )) bytes
			obj=$(conn_obj_bytes)
			[ -z "$obj" ] || result mem_per_conn "$path" 1 "$obj" bytes
		fi
		for rep in $(seq "$REPS"); do
			bench_lg crr "$(bench_targets "$path" tcp)" "$CRR" || return 1
			result "crr_${name}_conns" "$path" "$rep" "$BENCH_LAST_NS" ns
			bench_lg crr "$(bench_targets plain tcp)" "$CRR" || return 1
			result "routed_crr_${name}_conns" "$path" "$rep" "$BENCH_LAST_NS" ns
		done
		prev=$n
	done
}

# dataplane PATH: warm-up, then REPS rounds of the three cases.
dataplane() {
	local path=$1 rep tcp udp
	tcp=$(bench_targets "$path" tcp) udp=$(bench_targets "$path" udp)
	bench_lg bulk "$tcp" $((BULK / 10)) &&
	bench_lg crr "$tcp" $((CRR / 10)) &&
	bench_lg udprr "$udp" $((UDP / 10)) || return 1
	for rep in $(seq "$REPS"); do
		bench_lg bulk "$tcp" "$BULK" || return 1
		result nat_tcp_bulk "$path" "$rep" "$BENCH_LAST_NS" ns
		bench_lg crr "$tcp" "$CRR" || return 1
		result nat_tcp_crr "$path" "$rep" "$BENCH_LAST_NS" ns
		bench_lg udprr "$udp" "$UDP" || return 1
		result nat_udp_rr "$path" "$rep" "$BENCH_LAST_NS" ns
	done
	# The table-less routed figure the routed_* cases compare with.
	[ "$path" = plain ] || return 0
	for rep in $(seq "$REPS"); do
		bench_lg crr "$tcp" "$CRR" || return 1
		result routed_crr_0_conns plain "$rep" "$BENCH_LAST_NS" ns
	done
}

# Until the kernel's random generator is seeded every new connection costs
# more; and the fill must not be dropped at the backlog of one CPU.
head -c1 /dev/random >/dev/null
sysctl -qw net.core.netdev_max_backlog=100000
echo "# work: bulk $BULK bytes, crr $CRR, udp $UDP, reps $REPS, scale '$SCALE', nsvc $NSVC"

failed=0
for path in $PATHS; do
	t0=$("$LOADGEN" now)
	if ! bench_path_start "$path"; then
		bench_fail "$path: setup"
		failed=1
		continue
	fi
	dataplane "$path" || failed=1
	if [ "$path" != plain ] && [ -n "$SCALE" ] && [ $failed = 0 ]; then
		scale "$path" || failed=1
	fi
	bench_path_end || failed=1
	diag "$path done in $(( ($("$LOADGEN" now) - t0) / 1000000 )) ms of guest time"
done
ipvs_unload

# DR and TUN on their own segment (bench/lan.sh); IPVSNG_BENCH_LAN=0 skips.
if [ "${IPVSNG_BENCH_LAN:-1}" != 0 ]; then
	"$IPVSNG_TOP/bench/lan.sh" IPVSNG_BENCH_REPS="$REPS" IPVSNG_BENCH_BULK="$BULK" \
		IPVSNG_BENCH_CRR="$CRR" IPVSNG_BENCH_UDP="$UDP" IPVSNG_BENCH_PATHS="$PATHS" ||
		failed=1
fi

if [ "$NSVC" -gt 0 ]; then
	NSVC=$NSVC "$IPVSNG_TOP/bench/restore.sh" || failed=1
fi
if [ -n "$SCHED_N" ]; then
	"$IPVSNG_TOP/bench/sched.sh" IPVSNG_BENCH_CRR="$CRR" IPVSNG_BENCH_SCHED_N="$SCHED_N" ||
		failed=1
fi
check "no traffic went missing on any path" test $failed = 0
check "kernel log clean" kernel_clean
tap_done
