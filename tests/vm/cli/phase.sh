# SPDX-License-Identifier: GPL-2.0
#
# golden_phase PHASE SHARDS [ONLY]: load PHASE's ip_vs (stock or ours) and
# run the golden corpus (golden.sh) split in SHARDS shards, shard K in
# network namespace gK (IPVS state is per namespace), side by side; with
# ONLY, just shard ONLY (a guest has one CPU unless it asks for more, so
# tests/vm/cli-golden*.sh give the shards boots of their own, which
# tests/run-all runs at once). Then unload and check the kernel log.
# Sourced after tests/lib/vm.sh; the shards' TAP is merged into the
# caller's.
#
#   netns gK: lo only; no traffic except the -c/--stats checks of shard 0.
golden_phase() {
	local phase=$1 shards=$2 out=/tmp/cli-golden k pids=() run
	mkdir -p $out
	if ! ipvs_phase "$phase"; then
		not_ok "load the $phase ip_vs"
		return
	fi
	run=$(seq 0 $((shards - 1)))
	[ -n "${3:-}" ] && run=$3
	for k in $run; do
		ip netns add g$k && ip -n g$k link set lo up
		GOLDEN_SHARD=$k/$shards GOLDEN_LABEL=$phase \
			ip netns exec g$k "$IPVSNG_TOP/tests/vm/cli/golden.sh" >$out/$phase.$k 2>&1 &
		pids[k]=$!
	done
	# One TAP stream: shard outputs in order, renumbered.
	for k in $run; do
		wait "${pids[k]}"
		tap_merge $out/$phase.$k $? "$phase: golden shard $k"
		ip netns del g$k
	done
	check "$phase: ip_vs unloads" ipvs_unload
	check "kernel log clean" kernel_clean
}
