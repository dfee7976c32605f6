#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm-time: 131 (rough seconds, only for tests/run-all to start the longest files first)
# vm-smp: 2 (two CPUs: packets and configuration changes race for real)
#
# Churn soak (issue 7), stock module then ours: clients connect without
# pause to two NAT services for TEST_SOAK_SECS seconds per module (default
# 30; `make soak` runs 300) while the director's configuration changes every 0.3 s: weights,
# real servers deleted and re-added, drains, thresholds, scheduler
# switches on VIP:80; the whole VIP:81 service deleted and re-created.
# VIP:80 always keeps r1 at weight >= 1, so none of its requests may fail
# (ours; the stock module, run first as a reference, refuses the odd one)
# but one hung by the deletion of its real server r2, at most one per
# deletion;
# VIP:81's refusals (while it is absent or has no usable server) are
# allowed, counted and reported; so is a connection left hanging (timeout
# or reset) because VIP:81 was deleted under it, at most one per deletion.
# Afterwards:
#  - VIP:80 counted the connections its client completed (plus at most one
#    per SYN the client retransmitted);
#  - every listed real server's ActiveConn + InActConn equals its entries
#    in the connection table, and the table's element count
#    (net.ipv4.vs.conn_count) equals the entries listed. A soak longer
#    than TIME_WAIT (120 s) ends with entries expiring every moment, and
#    ours reaps them up to a second late, so these are waited for until
#    the table is quiet (at the latest when it is empty);
#  - the services flush, the module unloads (the connection cache must be
#    empty when it is destroyed), the kernel log is clean.
#
#   ns c (client)          ns d (director, IPVS)             ns r1, r2
#   10.0.1.2 ---- veth ---- 10.0.1.1, VIP 10.0.1.100
#                           10.0.2.1 ------------ veth ---- 10.0.2.2 (r1)
#                           10.0.3.1 ------------ veth ---- 10.0.3.2 (r2)
. "$IPVSNG_TOP/tests/lib/vm.sh"
. "$IPVSNG_TOP/tests/lib/nat.sh"

SECS=${TEST_SOAK_SECS:-30}
R=/tmp/churn
mkdir -p $R

svc81() {
	vs -A -t $VIP:81 -s rr &&
	vs -a -t $VIP:81 -r $RS1:80 -m &&
	vs -a -t $VIP:81 -r $RS2:80 -m
}

# churn: one random configuration change every 0.3 s until $R/stop exists;
# counts what it did in $R/ops.
churn() {
	# sh and mh with their fallback: without it, upstream's rule refuses a
	# client whose hashed server has weight 0 or is overloaded (seen in a
	# 300 s soak: 37 refusals on stock, 17 on ours), and VIP:80 is the
	# service that must never refuse.
	local n=0 r2_in=1 s81=1 del81=0 del_r2=0 op x
	local scheds=(rr wrr lc wlc sed nq "sh -b sh-fallback" "mh -b mh-fallback")
	local ops=(${TEST_SOAK_OPS:-0 1 2 3 4 5 6 7})
	RANDOM=7
	while [ ! -e $R/stop ]; do
		op=${ops[RANDOM % ${#ops[@]}]}
		case $op in
		0) vs -e -t $VIP:80 -r $RS1:80 -m -w $((RANDOM % 3 + 1)) ;;
		1) [ $r2_in = 1 ] && vs -e -t $VIP:80 -r $RS2:80 -m -w $((RANDOM % 4)) ;;
		2) if [ $r2_in = 1 ]; then
			vs -d -t $VIP:80 -r $RS2:80 && r2_in=0 && del_r2=$((del_r2 + 1))
		   else vs -a -t $VIP:80 -r $RS2:80 -m && r2_in=1; fi ;;
		3) vs -E -t $VIP:80 -s ${scheds[RANDOM % 8]} ;;
		4) x=$((RANDOM % 2 * 5))
		   [ $r2_in = 1 ] && vs -e -t $VIP:80 -r $RS2:80 -m -x $x -y $((x ? 2 : 0)) ;;
		5) if [ $s81 = 1 ]; then vs -D -t $VIP:81 && s81=0 && del81=$((del81 + 1))
		   else svc81 && s81=1; fi ;;
		6) [ $s81 = 1 ] && vs -e -t $VIP:81 -r $RS$((RANDOM % 2 + 1)):80 -m -w $((RANDOM % 3)) ;;
		7) [ $s81 = 1 ] && vs -Z -t $VIP:81 ;;
		esac
		n=$((n + 1))
		nap 0.3
	done
	echo $n >$R/ops
	echo $del81 >$R/del81
	echo $del_r2 >$R/del_r2
}

# pairs_listed / pairs_in_table: "virtual destination count" per real
# server, from -Ln (active + inactive) and from the connection table.
pairs_listed() {
	vs -Ln | awk '$1 == "TCP" { v = $2 } $1 == "->" && NR > 3 { print v, $2, $5 + $6 }' | sort
}

pairs_in_table() {
	vs -Lnc | tail -n +3 >$R/lnc
	vs -Ln | awk '$1 == "TCP" { v = $2 } $1 == "->" && NR > 3 { print v, $2 }' >$R/dests
	awk 'FNR == NR { n[$5 " " $6]++; next } { print $0, n[$0] + 0 }' $R/lnc $R/dests | sort
}

dest_counts_match() {
	[ "$(pairs_listed)" = "$(pairs_in_table)" ]
}

table_count_matches() {
	[ "$(ns d cat /proc/sys/net/ipv4/vs/conn_count)" = "$(conns_in_table)" ]
}

# fails_of FILE KIND...: the failures of those kinds a tcp-loop counted.
fails_of() {
	local f=$1
	shift
	awk -v k=" $* " 'NR > 1 && index(k, " " $1 " ") { n += $2 } END { print n + 0 }' "$f"
}

# soak PH: one soak run and its checks on module PH (stock or ours).
soak() {
	local ph=$1 cpid c80 c81 ok80 hung80 retrans counted settled hung quiet=15
	nat_cleanup
	ipvs_phase $ph || { not_ok "load $ph module"; return; }
	nat_setup && servers tcp-server 80 || { not_ok "$ph: setup"; return; }
	vs -A -t $VIP:80 -s rr
	vs -a -t $VIP:80 -r $RS1:80 -m
	vs -a -t $VIP:80 -r $RS2:80 -m
	svc81
	rm -f $R/stop

	churn &
	cpid=$!
	ns c python3 -S "$NATTOOL" tcp-loop $VIP 80 "$SECS" >$R/c80 2>&1 &
	c80=$!
	ns c python3 -S "$NATTOOL" tcp-loop $VIP 81 "$SECS" >$R/c81 2>&1 &
	c81=$!
	wait $c80 $c81
	touch $R/stop
	wait $cpid

	ok80=$(awk 'NR == 1 { print $2 }' $R/c80)
	diag "$ph: soak $SECS s, $(cat $R/ops) configuration changes"
	diag "$ph: VIP:80: $(tr '\n' ' ' <$R/c80)"
	diag "$ph: VIP:81: $(tr '\n' ' ' <$R/c81)"
	diag "$ph: client: $(ns c nstat -az TcpActiveOpens TcpExtTCPSynRetrans TcpAttemptFails |
		awk 'NR > 1 { printf "%s %s ", $1, $2 }')"
	if [ -n "${TEST_SOAK_NSTAT:-}" ]; then
		local n
		for n in c d r1 r2; do
			diag "$ph: nstat $n: $(ns $n nstat -a | awk 'NR > 1 && $1 !~ /^(Ip|Udp|Icmp)/ { printf "%s %s ", $1, $2 }')"
		done
	fi
	check "$ph: VIP:80 made connections throughout ($ok80)" test "${ok80:-0}" -gt $((SECS / 2))
	# The stock module refuses the odd request while its configuration
	# changes (seen: 1 in 1,800); ours must not. Deleting r2 drops the
	# client's packets of a connection to r2 (upstream's rule, as for
	# VIP:81 below): one caught between its SYN and its ACK hangs (seen
	# once in a CI run on a starved host), at most one per deletion.
	hung80=$(fails_of $R/c80 timeout)
	if [ $ph = ours ]; then
		check_eq "$ph: VIP:80: no request failed but hung ones" 0 \
			"$(($(awk 'NR == 1 { print $4 }' $R/c80) - hung80))"
		check "$ph: VIP:80: hung connections ($hung80) at most one per r2 deletion ($(cat $R/del_r2))" \
			test "$hung80" -le "$(cat $R/del_r2)"
	fi
	check "$ph: VIP:81 made connections too" test "$(awk 'NR == 1 { print $2 }' $R/c81)" -gt 0
	# A deleted service drops its live connections' packets (upstream's
	# rule without expire_nodest_conn): a client caught between its SYN and
	# the server's answer hangs until its timeout.
	check_eq "$ph: VIP:81: failures only of the allowed kinds (refused, timeout, reset)" "" \
		"$(tail -n +2 $R/c81 | grep -vE '^(refused|timeout|ECONNRESET) ')"
	hung=$(fails_of $R/c81 timeout ECONNRESET)
	check "$ph: VIP:81: hung connections ($hung) at most one per deletion ($(cat $R/del81))" \
		test "$hung" -le "$(cat $R/del81)"
	# A reused client port whose old entry is in TIME_WAIT is scheduled
	# afresh; if that server still rejects it, the retransmitted SYN is
	# scheduled once more: each extra count needs a SYN retransmission
	# (both modules, seen at churn or not). A hung connection was counted
	# but not completed. Ours counts exactly at once; the stock module's
	# count lags by up to one estimator period (seen: 39 short in a CI run).
	retrans=$(ns c nstat -az TcpExtTCPSynRetrans | awk 'NR > 1 { print $2 }')
	counted=$(stat_field $VIP:80 1)
	if [ $ph = stock ]; then
		settled=$(stat_settled $VIP:80 1)
		diag "stock: VIP:80 count read at once $counted, settled $settled"
		counted=$settled
	fi
	diag "$ph: VIP:80 counted $counted, client SYN retransmissions $retrans"
	diag "$ph: VIP:80 entries by state: $(vs -Lnc | awk -v v=$VIP:80 \
		'$5 == v { n[$3]++ } END { for (s in n) printf "%s %d ", s, n[s] }')"
	check "$ph: VIP:80 counted the connections completed and hung, plus at most one per SYN retransmission" \
		test "$counted" -ge "$ok80" -a "$counted" -le $((ok80 + hung80 + retrans))
	[ "$SECS" -gt 100 ] && quiet=150
	check "$ph: each real server's connection counts match the table" \
		wait_for "dest counts" $quiet dest_counts_match
	if [ $ph = ours ]; then
		diag "ours: conn_refused $(ns d cat /proc/sys/net/ipv4/vs/conn_refused)"
		check "ours: conn_count matches the entries listed" \
			wait_for "count" $quiet table_count_matches
	fi
	check "$ph: services flush" vs -C
	nat_cleanup
	check "$ph: ip_vs unloads (connection cache empty)" ipvs_unload
}

for ph in ${TEST_SOAK_PHASES:-stock ours}; do
	soak $ph
done
check "kernel log clean" kernel_clean
tap_done
