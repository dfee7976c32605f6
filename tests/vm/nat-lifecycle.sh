#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm-time: 125 (rough seconds, only for tests/run-all to start the longest files first)
#
# The data plane next to nf_conntrack and an unrelated iptables MASQUERADE
# rule, and module removal while TCP and UDP traffic flows through live
# connections. Reference phase with the stock module first, then ours.
#
#   ns c (client)          ns d (director, IPVS, conntrack)  ns r1, r2
#   10.0.1.2 ---- veth ---- 10.0.1.1, VIP 10.0.1.100
#                           10.0.2.1 ------------ veth ---- 10.0.2.2 (r1)
#                           10.0.3.1 ------------ veth ---- 10.0.3.2 (r2)
. "$IPVSNG_TOP/tests/lib/vm.sh"
. "$IPVSNG_TOP/tests/lib/nat.sh"

R=/tmp/nat-life
mkdir -p $R

case_coexist() {
	local ph=$1 seq out f=/tmp/nat-life.bin
	nat_cleanup; nat_setup || { not_ok "$ph: setup"; return; }
	modprobe nf_conntrack
	# Unrelated NAT: masquerade another network leaving towards r1.
	ns d iptables -t nat -A POSTROUTING -s 192.168.77.0/24 -o veth-d1 -j MASQUERADE
	check "$ph: conntrack active in the director" ns d test -e /proc/net/nf_conntrack -o \
		-d /proc/sys/net/netfilter
	servers tcp-server 80
	vs -A -t $VIP:80 -s rr
	vs -a -t $VIP:80 -r $RS1:80 -m
	vs -a -t $VIP:80 -r $RS2:80 -m
	seq=$(ns c timeout 60 python3 -S "$NATTOOL" tcp-get $VIP 80 4 | tr '\n' ' ')
	check "$ph: with conntrack + MASQUERADE: rr alternates ($seq)" \
		bash -c "echo '$seq' | grep -Eq '^(r1 r2 r1 r2|r2 r1 r2 r1) $'"
	[ -f $f ] || head -c 5000000 /dev/urandom >$f
	vs -A -t $VIP:5001 -s rr
	vs -a -t $VIP:5001 -r $RS2:5001 -m
	rm -f /tmp/nat-life-up.bin
	bg r2 socat -u TCP-LISTEN:5001,reuseaddr OPEN:/tmp/nat-life-up.bin,creat,trunc
	wait_for "listener" 20 listening r2 tcp 5001
	ns c timeout 120 socat -u OPEN:$f TCP:$VIP:5001
	wait_for "upload complete" 60 test "$(stat -c %s /tmp/nat-life-up.bin 2>/dev/null)" = 5000000
	check "$ph: with conntrack + MASQUERADE: 5 MB identical (cmp)" cmp -s $f /tmp/nat-life-up.bin
	rm -f /tmp/nat-life-up.bin
	servers udp-server 53
	vs -A -u $VIP:53 -s rr
	vs -a -u $VIP:53 -r $RS1:53 -m
	out=$(ns c timeout 60 python3 -S "$NATTOOL" udp-ask $VIP 53 100)
	check_eq "$ph: with conntrack + MASQUERADE: UDP answered" "sent 100 recv 100" \
		"$(head -n1 <<<"$out")"
}

bytes_flowing() {
	[ "$(stat_field $VIP:5001 4)" -gt 1000000 ] 2>/dev/null
}

case_rmmod() {
	local ph=$1 tcp_pid udp_pid
	nat_cleanup; nat_setup || { not_ok "$ph: setup"; return; }
	servers udp-server 53
	vs -A -t $VIP:5001 -s rr
	vs -a -t $VIP:5001 -r $RS1:5001 -m
	vs -a -t $VIP:5001 -r $RS2:5001 -m
	vs -A -u $VIP:53 -s rr
	vs -a -u $VIP:53 -r $RS1:53 -m
	bg r1 socat -u TCP-LISTEN:5001,reuseaddr,fork /dev/null
	bg r2 socat -u TCP-LISTEN:5001,reuseaddr,fork /dev/null
	wait_for "sinks" 20 listening r2 tcp 5001
	ns c timeout 60 socat -u /dev/zero TCP:$VIP:5001 2>/dev/null &
	tcp_pid=$!
	ns c timeout 60 python3 -S "$NATTOOL" udp-ask $VIP 53 100000 >/dev/null 2>&1 &
	udp_pid=$!
	check "$ph: traffic flows" wait_for "bytes" 30 bytes_flowing
	# The stock module pins its scheduler modules while services use them.
	[ $ph = stock ] && vs -C
	check "$ph: rmmod with live connections and traffic" ipvs_unload
	check "$ph: ip_vs_conn cache gone" test "$(slab_objs ip_vs_conn)" = 0
	# Traffic stops: the client's stream is reset by the director's stack
	# or stalls; new connections to the VIP are refused.
	check_eq "$ph: new connection refused after unload" refused \
		"$(ns c timeout 10 socat -u /dev/null TCP:$VIP:5001 2>&1 | grep -c refused |
		   sed 's/^1$/refused/')"
	kill $tcp_pid $udp_pid 2>/dev/null
	wait $tcp_pid $udp_pid 2>/dev/null
	check "$ph: kernel log clean after rmmod under traffic" kernel_clean
}

for ph in stock ours; do
	ipvs_phase $ph || { not_ok "load $ph module"; continue; }
	case_coexist $ph
	nat_cleanup
	ipvs_phase $ph || { not_ok "reload $ph module"; continue; }
	case_rmmod $ph
	nat_cleanup
done

check "kernel log clean" kernel_clean
tap_done
