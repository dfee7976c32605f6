#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm-time: 97 (rough seconds, only for tests/run-all to start the longest files first)
#
# Module and namespace lifecycle: per-netns isolation of the tables,
# deleting a namespace that still has services, rmmod with services
# configured, and 20 load/configure/unload cycles. Run against ours; the
# isolation part also against the stock module as a reference.
#
#   init netns ---- (no links) ---- netns "a", "b", "e" (never a service)
. "$IPVSNG_TOP/tests/lib/vm.sh"

IPVSADM=$STOCK_IPVSADM

cleanup() {
	ip netns del a 2>/dev/null
	ip netns del b 2>/dev/null
	ip netns del e 2>/dev/null
}

configure() {
	$IPVSADM -A -t 10.0.0.1:80 -s rr &&
	$IPVSADM -a -t 10.0.0.1:80 -r 10.0.0.2:80 -m &&
	$IPVSADM -a -t 10.0.0.1:80 -r 10.0.0.3:80 -m -w 3 &&
	$IPVSADM -A -u [2001:db8::1]:53 -s wrr -p 60 &&
	$IPVSADM -a -u [2001:db8::1]:53 -r [2001:db8::2]:53 -m &&
	$IPVSADM -A -f 7 -s rr &&
	$IPVSADM -a -f 7 -r 10.0.0.4 -g
}

services_in() {
	ip netns exec "$1" $IPVSADM -Sn | grep -c '^-A'
}

isolation() {
	local phase=$1
	cleanup
	ip netns add a
	ip netns add b
	# A real server must be a unicast address in the namespace's routing
	# view; a namespace with lo down has none.
	ip -n a link set lo up
	ip netns exec a $IPVSADM -A -t 10.0.0.1:80 -s rr
	ip netns exec a $IPVSADM -a -t 10.0.0.1:80 -r 10.0.0.2:80 -m
	ip netns exec b $IPVSADM -A -u 10.0.0.9:53 -s wrr
	check_eq "$phase: netns a sees only its service" 1 "$(services_in a)"
	check_eq "$phase: init netns sees none" 0 "$($IPVSADM -Sn | grep -c '^-A')"
	check_eq "$phase: netns b sees only its own" "-A -u 10.0.0.9:53 -s wrr" \
		"$(ip netns exec b $IPVSADM -Sn | grep '^-A')"
	check "$phase: /proc/net/ip_vs is per netns" \
		ip netns exec a grep -q '0A000001:0050 rr' /proc/net/ip_vs
	check "$phase: ... and hidden elsewhere" \
		bash -c "! grep -q '0A000001:0050' /proc/net/ip_vs"
	# A namespace that never had a service (ours creates its connection
	# table with the first one): both listings hold their header alone,
	# the same bytes as the init namespace's.
	ip netns add e
	local f
	for f in ip_vs_conn ip_vs_conn_sync; do
		ip netns exec e cat /proc/net/$f >/tmp/lifecycle.$phase.e.$f
		check_eq "$phase: $f of a namespace without services: its header" \
			"1 $(head -n1 /proc/net/$f)" \
			"$(wc -l </tmp/lifecycle.$phase.e.$f) $(head -n1 /tmp/lifecycle.$phase.e.$f)"
	done
	ip netns del e
	# Delete a namespace with services configured; the module must still
	# unload afterwards (rmmod waits for the namespace's teardown).
	ip netns del a
	ip netns del b
	check "$phase: rmmod after deleting namespaces with services" ipvs_unload
}

ipvs_phase stock && isolation stock
ipvs_phase ours && isolation ours

# rmmod with services configured, 20 times over.
fails=0
for i in $(seq 1 20); do
	modprobe ip_vs || { fails=$((fails + 1)); continue; }
	is_ours || { fails=$((fails + 1)); continue; }
	configure || fails=$((fails + 1))
	[ "$($IPVSADM -Sn | grep -c '^-a')" = 4 ] || fails=$((fails + 1))
	ipvs_unload || fails=$((fails + 1))
done
check_eq "20 load/configure/unload cycles" 0 $fails
check "no IPVS module left loaded" test -z "$(ipvs_loaded)"

# A namespace being torn down while the module is removed.
modprobe ip_vs
ip netns add a
ip -n a link set lo up
ip netns exec a $IPVSADM -A -t 10.0.0.1:80 -s wrr
ip netns exec a $IPVSADM -a -t 10.0.0.1:80 -r 10.0.0.2:80 -m
ip netns del a
check "unload right after deleting a configured namespace" ipvs_unload
cleanup
check "kernel log clean" kernel_clean
tap_done
