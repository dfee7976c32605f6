#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm-time: 226 (rough seconds, only for tests/run-all to start the longest files first)
# vm-smp: 2 (two CPUs, so connection-table writers can run concurrently)
#
# 10,000 concurrent TCP connections (opened 256 handshakes at a time)
# held open through the director, then reset by the client: every one is
# scheduled, counted and listed while open, and the table empties after
# the CLOSE timeout. Also records the per-connection memory (ip_vs_conn
# slab object size). Reference phase with the stock module first, then
# ours. NAT_SCALE_N overrides the count.
#
#   ns c (client)          ns d (director, IPVS)             ns r1, r2
#   10.0.1.2 ---- veth ---- 10.0.1.1, VIP 10.0.1.100
#                           10.0.2.1 ------------ veth ---- 10.0.2.2 (r1)
#                           10.0.3.1 ------------ veth ---- 10.0.3.2 (r2)
. "$IPVSNG_TOP/tests/lib/vm.sh"
. "$IPVSNG_TOP/tests/lib/nat.sh"

R=/tmp/nat-scale
mkdir -p $R
N=${NAT_SCALE_N:-10000}
ulimit -n 65536

table_is() {
	[ "$(conns_in_table)" = "$1" ]
}

counters_are() {
	[ "$(dest_sum 5) $(dest_sum 6)" = "$1" ]
}

dest_sum() {
	vs -Ln | awk -v f="$1" '/->/ && $2 != "RemoteAddress:Port" { s += $f } END { print s + 0 }'
}

# Bytes per ip_vs_conn object: its own slabinfo line, or (cache merged with
# another one of the same size, as the stock module's is) the slab size of
# the cache it was merged into.
slab_size() {
	local v
	v=$(awk '$1 == "ip_vs_conn" { print $4 }' /proc/slabinfo)
	[ -n "$v" ] || v=$(cat /sys/kernel/slab/ip_vs_conn/slab_size 2>/dev/null)
	echo "${v:-unknown}"
}

case_scale() {
	local ph=$1 pid
	nat_cleanup; nat_setup || { not_ok "$ph: setup"; return; }
	for n in r1 r2; do
		ns $n sysctl -qw net.core.somaxconn=16384 net.ipv4.tcp_max_syn_backlog=16384
	done
	# Room for bursts in the input queue (global, not per netns; default
	# 1,000 packets): when the client opened all 10,000 at once, a slow
	# kernel dropped some there.
	sysctl -qw net.core.netdev_max_backlog=20000
	servers hold-server 80
	# Established connections must outlive the hold, whose handshakes
	# alone may take 120 s times TEST_TIME_SCALE; CLOSE is fixed (10 s).
	vs --set "$(slow 300)" 5 5
	vs -A -t $VIP:80 -s rr
	vs -a -t $VIP:80 -r $RS1:80 -m
	vs -a -t $VIP:80 -r $RS2:80 -m
	rm -f $R/$ph.hold
	ns c python3 -S "$NATTOOL" hold $VIP 80 $N "$(slow 15)" >$R/$ph.hold &
	pid=$!
	wait_for "connections established" "$(slow 300)" grep -q established $R/$ph.hold
	check_eq "$ph: $N connections established and served" "established $N named $N" \
		"$(cat $R/$ph.hold)"
	check "$ph: $N entries in the table" wait_for table "$(slow 20)" table_is $N
	check_eq "$ph: ActiveConn sums to $N" $N "$(dest_sum 5)"
	check "$ph: $N connections counted" wait_for conns "$(slow 10)" stat_is $VIP:80 1 $N
	slab_size >$R/$ph.objsize
	diag "$ph: ip_vs_conn: $(cat $R/$ph.objsize) bytes per object" \
		"(slabinfo line: $(grep -c '^ip_vs_conn ' /proc/slabinfo))," \
		"$(slab_objs ip_vs_conn) active objects in slabinfo"
	wait $pid
	check "$ph: table empty after the timeout" wait_for empty "$(slow 60)" table_is 0
	# Ours lowers the counters when its collector unlinks an expired
	# entry, up to a second or so after the listing stopped showing it.
	check "$ph: counters back to 0 0" wait_for counters "$(slow 10)" counters_are "0 0"
}

for ph in stock ours; do
	ipvs_phase $ph || { not_ok "load $ph module"; continue; }
	case_scale $ph
	nat_cleanup
done

# 128: the object's size, with SLUB's free pointer inside it (no ctor).
# SLUB debugging (the debug kernel) adds red zones and owner tracking.
if [ "$(cat /sys/kernel/slab/ip_vs_conn/red_zone 2>/dev/null)" = 1 ]; then
	skip "ours: at most 128 bytes of slab per connection (SLUB debugging on)"
else
	check "ours: at most 128 bytes of slab per connection" test "$(cat $R/ours.objsize)" -le 128
fi
check "ours: ip_vs unloads" ipvs_unload
check "kernel log clean" kernel_clean
tap_done
