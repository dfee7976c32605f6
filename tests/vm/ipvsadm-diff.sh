#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm-time: 77 (rough seconds, only for tests/run-all to start the longest files first)
#
# Differential control-plane test: upstream ipvsadm 1.31 runs the same
# script of commands (tests/vm/data/ipvsadm-diff.cmds, failing ones
# included) against the stock module and against ours, in two phases of one
# boot. Each command's exit status, stdout and stderr must be identical, and
# so must `ipvsadm -Ln`, `ipvsadm -S -n` and /proc/net/ip_vs (service blocks
# sorted: the stock module orders them by a hash of a kernel pointer) after
# the configuration phase. Then a save/restore round trip through -R.
#
#   single namespace; no traffic.
. "$IPVSNG_TOP/tests/lib/vm.sh"

cmds=$IPVSNG_TOP/tests/vm/data/ipvsadm-diff.cmds
work=$(mktemp -d)

run_phase() {
	local phase=$1 i=0 args
	mkdir -p "$work/$phase"
	$STOCK_IPVSADM -C
	while IFS= read -r args; do
		case $args in '#'* | '') continue ;; esac
		i=$((i + 1))
		# shellcheck disable=SC2086
		$STOCK_IPVSADM $args >"$work/$phase/$i.out" 2>"$work/$phase/$i.err"
		echo "rc=$?" >>"$work/$phase/$i.out"
		echo "$args" >"$work/$phase/$i.cmd"
		# Snapshot the state just before the final flush.
		if [ "$args" = "-S -n" ]; then
			$STOCK_IPVSADM -Ln >"$work/$phase/state.ln"
			cp /proc/net/ip_vs "$work/$phase/proc.raw"
			awk 'NR <= 3' /proc/net/ip_vs >"$work/$phase/proc"
			awk 'NR > 3' /proc/net/ip_vs | awk '
				/^[^ ]/ { if (b != "") print b; b = $0; next }
				{ b = b "|" $0 }
				END { if (b != "") print b }' | sort >>"$work/$phase/proc"
			cat /proc/net/ip_vs_stats >"$work/$phase/stats"
			# Round trip: save, flush, restore, save again.
			$STOCK_IPVSADM -S -n >"$work/$phase/save1"
			$STOCK_IPVSADM -C
			$STOCK_IPVSADM -R <"$work/$phase/save1"
			echo "restore rc=$?" >"$work/$phase/restore.rc"
			$STOCK_IPVSADM -S -n >"$work/$phase/save2"
		fi
	done <"$cmds"
	N=$i
}

for phase in stock ours; do
	if ipvs_phase $phase; then
		run_phase $phase
	else
		not_ok "load $phase ip_vs"
	fi
done

if [ -d "$work/stock" ] && [ -d "$work/ours" ]; then
	for i in $(seq 1 "$N"); do
		c=$(cat "$work/stock/$i.cmd")
		if cmp -s "$work/stock/$i.out" "$work/ours/$i.out" &&
		   cmp -s "$work/stock/$i.err" "$work/ours/$i.err"; then
			ok "ipvsadm $c ($(tail -n1 "$work/ours/$i.out"))"
		else
			not_ok "ipvsadm $c"
			diff -u "$work/stock/$i.out" "$work/ours/$i.out" | sed 's/^/# /'
			diff -u "$work/stock/$i.err" "$work/ours/$i.err" | sed 's/^/# /'
		fi
	done
	check_same "ipvsadm -Ln of the configured state" "$work/stock/state.ln" "$work/ours/state.ln"
	check_same "/proc/net/ip_vs of the configured state" "$work/stock/proc" "$work/ours/proc"
	check_same "/proc/net/ip_vs_stats" "$work/stock/stats" "$work/ours/stats"
	check_same "ours: -S, -C, -R, -S round trip" "$work/ours/save1" "$work/ours/save2"
	check_eq "ours: restore exit status" "restore rc=0" "$(cat "$work/ours/restore.rc")"
fi
ipvs_unload
check "kernel log clean" kernel_clean
tap_done
