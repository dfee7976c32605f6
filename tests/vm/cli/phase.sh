# SPDX-License-Identifier: GPL-2.0
#
# golden_phase PHASE SHARDS: load PHASE's ip_vs (stock or ours) and run the
# golden corpus (golden.sh) as SHARDS shards side by side, shard K in
# network namespace gK (IPVS state is per namespace), then unload and
# check the kernel log. Sourced by tests/vm/cli-golden*.sh after
# tests/lib/vm.sh; the shards' TAP is merged into the caller's.
#
#   netns gK: lo only; no traffic except the -c/--stats checks of shard 0.
golden_phase() {
	local phase=$1 shards=$2 out=/tmp/cli-golden k pids=()
	mkdir -p $out
	if ! ipvs_phase "$phase"; then
		not_ok "load the $phase ip_vs"
		return
	fi
	for ((k = 0; k < shards; k++)); do
		ip netns add g$k && ip -n g$k link set lo up
		GOLDEN_SHARD=$k/$shards GOLDEN_LABEL=$phase \
			ip netns exec g$k "$IPVSNG_TOP/tests/vm/cli/golden.sh" >$out/$phase.$k 2>&1 &
		pids+=($!)
	done
	# One TAP stream: shard outputs in order, renumbered.
	for ((k = 0; k < shards; k++)); do
		wait "${pids[k]}"
		tap_merge $out/$phase.$k $? "$phase: golden shard $k"
		ip netns del g$k
	done
	check "$phase: ip_vs unloads" ipvs_unload
	check "kernel log clean" kernel_clean
}
