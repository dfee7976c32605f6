#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Our ipvsadm against upstream ipvsadm 1.31 over the golden corpus
# (tests/vm/cli/), once on the stock module and once on ours, in one boot.
#
#   single namespace; no traffic.
. "$IPVSNG_TOP/tests/lib/vm.sh"

for phase in stock ours; do
	echo "# phase: $phase"
	if ipvs_phase $phase; then
		"$IPVSNG_TOP/tests/vm/cli/golden.sh" | sed "s/^\(\(not \)\?ok [0-9]* - \)/\1$phase: /"
	else
		not_ok "load the $phase ip_vs"
	fi
done
ipvs_unload
check "kernel log clean" kernel_clean
tap_done
