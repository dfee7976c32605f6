#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Scheduler modules in the VM (our ip_vs): every scheduler autoloads from
# "ipvsadm -s <name>", takes real servers being added, edited and deleted,
# can be switched on a live service, honours -b flags (sh/mh), registers
# its sysctls per namespace (lblc, lblcr), and unloads while in use; the
# kernel log stays clean throughout.
#
#   scripts/vm-run tests/unit/sched/vm/sched-smoke.sh
. "$IPVSNG_TOP/tests/lib/vm.sh"

IPVSADM=$STOCK_IPVSADM
SCHEDS="rr wrr lc wlc sed nq fo ovf twos lblc lblcr dh sh mh"
VIP=10.0.0.1:80

loaded() {
	grep -q "^ip_vs_$1 " /proc/modules
}

ipvs_phase ours || { not_ok "load our ip_vs"; tap_done; exit 1; }
ok "our ip_vs loaded"
ip link set lo up

for s in $SCHEDS; do
	check "$s: ipvsadm -A -s $s" $IPVSADM -A -t $VIP -s $s
	check "$s: ip_vs_$s autoloaded" loaded $s
	check_eq "$s: listed" "-A -t $VIP -s $s" "$($IPVSADM -Sn | grep '^-A')"
	check "$s: add 4 servers" bash -c "
		$IPVSADM -a -t $VIP -r 10.0.0.2:80 -m -w 1 &&
		$IPVSADM -a -t $VIP -r 10.0.0.3:80 -m -w 3 &&
		$IPVSADM -a -t $VIP -r 10.0.0.4:80 -m -w 0 &&
		$IPVSADM -a -t $VIP -r 10.0.0.5:80 -m -w 2 -x 100 -y 50"
	check "$s: edit weights and thresholds" bash -c "
		$IPVSADM -e -t $VIP -r 10.0.0.4:80 -m -w 5 &&
		$IPVSADM -e -t $VIP -r 10.0.0.2:80 -m -w 0 &&
		$IPVSADM -e -t $VIP -r 10.0.0.5:80 -m -w 2 -x 0 -y 0"
	check "$s: delete a server in the middle" $IPVSADM -d -t $VIP -r 10.0.0.3:80
	check "$s: re-add it (revived from the trash)" $IPVSADM -a -t $VIP -r 10.0.0.3:80 -m -w 4
	check_eq "$s: 4 servers listed" 4 "$($IPVSADM -Sn | grep -c '^-a')"
	check "$s: delete the service" $IPVSADM -D -t $VIP
done

# Flags of sh and mh, and switching schedulers under a populated service.
check "sh with -b sh-fallback,sh-port" $IPVSADM -A -t $VIP -s sh -b sh-fallback,sh-port
check "servers" bash -c "for i in 2 3 4 5 6; do $IPVSADM -a -t $VIP -r 10.0.0.\$i:80 -g -w \$i || exit 1; done"
check "sh flags shown" bash -c "$IPVSADM -Ln | grep -q 'sh-fallback,sh-port'"
check "switch to mh -b mh-fallback,mh-port" $IPVSADM -E -t $VIP -s mh -b mh-fallback,mh-port
check "mh flags shown" bash -c "$IPVSADM -Ln | grep -q 'mh-fallback,mh-port'"
for s in $SCHEDS; do
	$IPVSADM -E -t $VIP -s $s || break
done
check_eq "every scheduler in turn on a live service (last: mh)" "-A -t $VIP -s mh" \
	"$($IPVSADM -Sn | grep '^-A' | sed 's/ -b .*//')"

# Many servers: the hash schedulers rebuild their tables on every change.
# One restore stream per step (one upstream process, one netlink message
# per line), and the server count checked after each step.
svc="-u 10.0.0.9:53"
for s in mh sh dh lblcr; do
	{
		echo "-A $svc -s $s"
		for ((i = 1; i <= 300; i++)); do
			echo "-a $svc -r 10.1.$((i / 250)).$((i % 250 + 1)):53 -m -w $((i % 7))"
		done
	} | $IPVSADM -R
	check_eq "$s: 300 servers added one by one" 300 "$($IPVSADM -Sn | grep -c '^-a -u')"
	for ((i = 1; i <= 300; i += 2)); do
		echo "-d $svc -r 10.1.$((i / 250)).$((i % 250 + 1)):53"
	done | $IPVSADM -R
	check_eq "$s: every other one deleted" 150 "$($IPVSADM -Sn | grep -c '^-a -u')"
	check "$s: service with 150 servers deleted" $IPVSADM -D $svc
done

# Sysctls of lblc and lblcr, per namespace.
for s in lblc lblcr; do
	f=/proc/sys/net/ipv4/vs/${s}_expiration
	check_eq "$f defaults to one day" 86400 "$(cat $f)"
	echo 600 >$f
	check_eq "$f writable (seconds)" 600 "$(cat $f)"
done
ip netns add sx
check_eq "a new namespace gets its own lblc_expiration" 86400 \
	"$(ip netns exec sx cat /proc/sys/net/ipv4/vs/lblc_expiration)"
check_eq "... and lblcr_expiration" 86400 \
	"$(ip netns exec sx cat /proc/sys/net/ipv4/vs/lblcr_expiration)"
ip -n sx link set lo up
check "lblc service inside the namespace" bash -c "
	ip netns exec sx $IPVSADM -A -t $VIP -s lblc &&
	ip netns exec sx $IPVSADM -a -t $VIP -r 10.0.0.2:80 -m"
check "delete the namespace with an lblc service" ip netns del sx

# Unload schedulers that services still use: they fall back to none.
$IPVSADM -C
for s in $SCHEDS; do
	$IPVSADM -A -t 10.0.0.1:$((1000 + ${#s})) -s $s 2>/dev/null
	$IPVSADM -A -t 10.0.1.1:80 -s $s 2>/dev/null || $IPVSADM -E -t 10.0.1.1:80 -s $s
	$IPVSADM -a -t 10.0.1.1:80 -r 10.0.0.2:80 -m 2>/dev/null
	$IPVSADM -A -t 10.0.2.$((${#s} + 1)):80 -s $s 2>/dev/null
done
busy=0
for s in $SCHEDS; do
	[ "$s" = rr ] || [ "$s" = wrr ] && continue
	rmmod ip_vs_$s || busy=$((busy + 1))
done
check_eq "every scheduler module unloads while in use" 0 $busy
check "services left without a scheduler still list" bash -c "$IPVSADM -Ln >/dev/null"
check "full unload" ipvs_unload
check "kernel log clean" kernel_clean
tap_done
