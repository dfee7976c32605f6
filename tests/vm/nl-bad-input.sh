#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm-time: 111 (rough seconds, only for tests/run-all to start the longest files first)
#
# Malformed and edge-case generic-netlink requests (tests/tools/nlbad.c),
# sent to the stock module and then to ours in the same boot. Each case's
# errno must be identical, or the documented stricter answer below; the
# configured state must be unchanged afterwards; and an unprivileged user
# must get EPERM.
#
#   single namespace (the guest's init netns); no traffic.
. "$IPVSNG_TOP/tests/lib/vm.sh"

# Cases where ours deliberately answers differently: "case ours-errno".
# (Each also names why, in net/ipvs/netlink.c's header comment.)
declare -A stricter=(
)

work=$(mktemp -d)
cases=$("$TOOLS/nlbad" -l | grep -vE '^(get_info|new_service_ok)$')

# Each case starts from the same configuration: TCP 10.0.0.1:80 (rr) with
# one real server, so it hits an existing service where it names one.
setup() {
	$STOCK_IPVSADM -C
	$STOCK_IPVSADM -A -t 10.0.0.1:80 -s rr
	$STOCK_IPVSADM -a -t 10.0.0.1:80 -r 10.0.0.2:80 -m
}

for phase in stock ours; do
	if ! ipvs_phase $phase; then
		not_ok "load $phase ip_vs"
		continue
	fi
	setup
	$STOCK_IPVSADM -S -n >"$work/initial"
	mkdir -p "$work/$phase"
	for c in $cases; do
		setup
		"$TOOLS/nlbad" "$c" >"$work/$phase/$c.errno" 2>&1
		$STOCK_IPVSADM -S -n >"$work/$phase/$c.state"
	done
	# Unprivileged: every request is refused with EPERM.
	setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all \
		"$TOOLS/nlbad" get_info new_service_ok >"$work/$phase.perm" 2>&1
	check_eq "$phase: unprivileged requests get EPERM" \
		"get_info: EPERM new_service_ok: EPERM" "$(tr '\n' ' ' <"$work/$phase.perm" | sed 's/ $//')"
	$STOCK_IPVSADM -C
done

for c in $cases; do
	[ -f "$work/stock/$c.errno" ] && [ -f "$work/ours/$c.errno" ] || continue
	serr=$(sed -n "s/^$c: //p" "$work/stock/$c.errno")
	oerr=$(sed -n "s/^$c: //p" "$work/ours/$c.errno")
	if [ -n "${stricter[$c]:-}" ]; then
		# Refused where stock accepts or answers otherwise: ours must
		# give the documented errno and leave the state untouched.
		if [ "$oerr" = "${stricter[$c]}" ] && cmp -s "$work/initial" "$work/ours/$c.state"; then
			ok "$c: $oerr, state intact (stock: $serr; ours stricter)"
		else
			not_ok "$c: ours $oerr, want ${stricter[$c]} and intact state"
			diff -u "$work/initial" "$work/ours/$c.state" | sed 's/^/# /'
		fi
	elif [ "$oerr" = "$serr" ] && cmp -s "$work/stock/$c.state" "$work/ours/$c.state"; then
		ok "$c: $oerr, same resulting state as stock"
	else
		not_ok "$c: stock $serr, ours $oerr"
		diff -u "$work/stock/$c.state" "$work/ours/$c.state" | sed 's/^/# /'
	fi
done
ipvs_unload
check "kernel log clean" kernel_clean
tap_done
