#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Our ipvsadm against upstream ipvsadm 1.31 over the golden corpus
# (tests/vm/cli/), once on the stock module and once on ours, in one boot.
#
#   single namespace; no traffic.
. "$IPVSNG_TOP/tests/lib/vm.sh"

for phase in stock ours; do
	if ! ipvs_phase $phase; then
		not_ok "load the $phase ip_vs"
		continue
	fi
	if [ $phase = ours ]; then
		# The sip persistence engine is not implemented yet (issue 4);
		# ours rejects --pe sip with upstream's "not found" error.
		export GOLDEN_SKIP='--pe sip'
		export GOLDEN_SKIP_WHY='no sip persistence engine in ipvs-ng yet'
	fi
	GOLDEN_LABEL=$phase "$IPVSNG_TOP/tests/vm/cli/golden.sh"
done
ipvs_unload
check "kernel log clean" kernel_clean
tap_done
