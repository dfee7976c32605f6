#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm-time: 187 (rough seconds, only for tests/run-all to start the longest files first)
# vm-smp: 2 (two CPUs: module removal and namespace teardown race packets for real)
#
# Unload and namespace teardown under load (our module only): clients keep
# hammering NAT, DR and TUN services while the module is removed,
# TEST_UNLOAD_ROUNDS times for each topology (default 3; `make soak` runs
# 20), and while the director's namespace is deleted (TEST_UNLOAD_NS_ROUNDS,
# default 2; `make soak` 5). Every
# round first proves traffic reached each service (its byte counter moved);
# afterwards the kernel log must be clean (no warning, no "objects remaining"
# when the connection cache is destroyed) and the module must unload.
#
#   NAT rounds (tests/lib/nat.sh)          DR/TUN rounds (tests/lib/lan.sh)
#   c --- d (VIP 10.0.1.100) --- r1, r2    c, d, r1, r2 on one bridge
#   TCP :5001, UDP :53 masqueraded         TCP :5001 -g to r1, UDP :53 -g
#                                          to r1, TCP :5002 -i (ipip) to r2
. "$IPVSNG_TOP/tests/lib/vm.sh"
. "$IPVSNG_TOP/tests/lib/nat.sh"

ROUNDS=${TEST_UNLOAD_ROUNDS:-3}
NS_ROUNDS=${TEST_UNLOAD_NS_ROUNDS:-2}

# flood NS CMD...: run CMD in NS over and over until stopped (nat_stop);
# it fails whenever the module is out, and is simply started again.
flood() {
	local n=$1
	shift
	bg "$n" bash -c 'while :; do "$@" >/dev/null 2>&1; sleep 0.05; done' flood "$@"
}

moving() {
	[ "$(stat_field "$1" 4)" -gt 0 ] 2>/dev/null
}

# round SVC...: load ours, configure (the caller's configure function),
# see bytes reach every SVC, unload with the traffic still running.
# Prints the first failed step, nothing on success.
round() {
	local s t0=$SECONDS
	ipvs_phase ours || { echo load; return; }
	configure || { echo configure; return; }
	local t1=$SECONDS
	for s in "$@"; do
		wait_for "traffic to $s" "$(slow 20)" moving "$s" || { echo "no traffic to $s"; return; }
	done
	local t2=$SECONDS
	ipvs_unload || echo unload
	echo "# times: load+configure $((t1 - t0)) s, traffic $((t2 - t1)) s, unload $((SECONDS - t2)) s" >&2
}

# rounds LABEL SVC...: ROUNDS rounds; one check for the lot.
rounds() {
	local label=$1 i why bad=0
	shift
	for i in $(seq 1 $ROUNDS); do
		why=$(round "$@")
		if [ -n "$why" ]; then
			diag "$label: round $i: $why"
			bad=$((bad + 1))
		fi
	done
	check_eq "$label: $ROUNDS rounds of traffic, then rmmod under it" 0 $bad
	check "$label: kernel log clean" kernel_clean
}

nat_configure() {
	vs -A -t $VIP:5001 -s rr &&
	vs -a -t $VIP:5001 -r $RS1:5001 -m &&
	vs -a -t $VIP:5001 -r $RS2:5001 -m &&
	vs -A -u $VIP:53 -s rr &&
	vs -a -u $VIP:53 -r $RS1:53 -m &&
	vs -a -u $VIP:53 -r $RS2:53 -m
}

nat_traffic() {
	servers udp-server 53 || return 1
	bg r1 socat -u TCP-LISTEN:5001,reuseaddr,fork /dev/null
	bg r2 socat -u TCP-LISTEN:5001,reuseaddr,fork /dev/null
	wait_for "sinks" "$(slow 20)" listening r2 tcp 5001 || return 1
	flood c timeout 5 socat -u /dev/zero TCP:$VIP:5001
	# (30 s: a Python start alone took over 5 s on an overloaded machine)
	flood c timeout 30 python3 -S "$NATTOOL" udp-send $VIP 53 500
}

case_nat() {
	nat_cleanup; nat_setup && nat_traffic || { not_ok "nat: setup"; return; }
	configure() { nat_configure; }
	rounds "NAT" $VIP:5001 $VIP:53
	nat_cleanup
}

# The director's namespace deleted with services, connections and traffic
# in it; the module stays loaded throughout.
case_netns() {
	local i bad=0
	ipvs_phase ours || { not_ok "netns: load"; return; }
	for i in $(seq 1 $NS_ROUNDS); do
		nat_cleanup
		if ! nat_setup || ! nat_traffic || ! nat_configure ||
		   ! wait_for "traffic" "$(slow 20)" moving $VIP:5001 ||
		   ! wait_for "traffic" "$(slow 20)" moving $VIP:53; then
			diag "netns: round $i: no traffic"
			bad=$((bad + 1))
		fi
		ip netns del d
	done
	nat_cleanup
	check_eq "netns: $NS_ROUNDS director namespaces deleted under traffic" 0 $bad
	check "netns: ip_vs unloads afterwards" ipvs_unload
	check "netns: kernel log clean" kernel_clean
}

case_lan() {
	. "$IPVSNG_TOP/tests/lib/lan.sh"
	. "$IPVSNG_TOP/tests/lib/tun.sh"
	lan_cleanup
	if ! lan_setup || ! tun_rs ipip 4 || ! servers udp-server 53; then
		not_ok "dr/tun: setup"
		return
	fi
	bg r1 socat -u TCP-LISTEN:5001,reuseaddr,fork /dev/null
	bg r2 socat -u TCP-LISTEN:5002,reuseaddr,fork /dev/null
	wait_for "sinks" "$(slow 20)" listening r2 tcp 5002 || { not_ok "dr/tun: sinks"; return; }
	flood c timeout 5 socat -u /dev/zero TCP:$VIP:5001
	flood c timeout 5 socat -u /dev/zero TCP:$VIP:5002
	# (30 s: a Python start alone took over 5 s on an overloaded machine)
	flood c timeout 30 python3 -S "$NATTOOL" udp-send $VIP 53 500
	configure() {
		vs -A -t $VIP:5001 -s rr &&
		vs -a -t $VIP:5001 -r $RS1:5001 -g &&
		vs -A -u $VIP:53 -s rr &&
		vs -a -u $VIP:53 -r $RS1:53 -g &&
		vs -A -t $VIP:5002 -s rr &&
		vs -a -t $VIP:5002 -r $RS2:5002 -i
	}
	rounds "DR+TUN" $VIP:5001 $VIP:53 $VIP:5002
	lan_cleanup
}

case_nat
case_netns
case_lan
check "ours: ip_vs unloads" ipvs_unload
check "kernel log clean" kernel_clean
tap_done
