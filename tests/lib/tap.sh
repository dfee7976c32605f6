# SPDX-License-Identifier: GPL-2.0
#
# Minimal TAP emitter for shell tests. tests/run-all counts the "ok" and
# "not ok" lines every test prints; "# SKIP" marks skips.

TAP_N=0
TAP_FAILED=0
TAP_T0=${EPOCHREALTIME/[.,]/}

# TEST_TAP_TIMES=1: after every result, the guest time it took since the
# previous one, to find where a slow test file spends its time.
tap_time() {
	[ -n "${TEST_TAP_TIMES:-}" ] || return 0
	local t=${EPOCHREALTIME/[.,]/}
	printf '# time %d.%03d s\n' $(((t - TAP_T0) / 1000000)) $(((t - TAP_T0) / 1000 % 1000))
	TAP_T0=$t
}

ok() {
	TAP_N=$((TAP_N + 1))
	echo "ok $TAP_N - $*"
	tap_time
}

not_ok() {
	TAP_N=$((TAP_N + 1))
	TAP_FAILED=$((TAP_FAILED + 1))
	echo "not ok $TAP_N - $*"
	tap_time
}

skip() {
	TAP_N=$((TAP_N + 1))
	echo "ok $TAP_N - $* # SKIP"
	tap_time
}

diag() {
	printf '%s\n' "$@" | sed 's/^/# /'
}

# check DESC CMD...: one assertion from a command's status.
check() {
	local desc=$1
	shift
	if "$@"; then ok "$desc"; else not_ok "$desc"; fi
}

# check_eq DESC EXPECTED ACTUAL
check_eq() {
	if [ "$2" = "$3" ]; then
		ok "$1"
	else
		not_ok "$1"
		diag "expected: $2" "actual:   $3"
	fi
}

# check_same DESC FILE_A FILE_B: the two files are byte-identical (cmp),
# with a diff in the diagnostics otherwise.
check_same() {
	if cmp -s "$2" "$3"; then
		ok "$1"
	else
		not_ok "$1"
		diff -u "$2" "$3" | head -n 40 | sed 's/^/# /'
		return 1
	fi
}

# tap_merge FILE STATUS LABEL: add the TAP stream another script wrote to
# FILE (it ended with STATUS) to ours, renumbered. A script that printed no
# plan, or failed without a failing line, counts as one failure.
tap_merge() {
	local f=$1 rc=$2 label=$3
	awk -v base="$TAP_N" '/^(not )?ok [0-9]+/ { sub(/ok [0-9]+/, "ok " base + (++i)) }
		!/^1\.\.[0-9]+$/ { print }' "$f"
	TAP_N=$((TAP_N + $(grep -cE '^(not )?ok [0-9]+' "$f")))
	TAP_FAILED=$((TAP_FAILED + $(grep -cE '^not ok [0-9]+' "$f")))
	if ! grep -qE '^1\.\.[1-9][0-9]*$' "$f" ||
	   { [ "$rc" != 0 ] && ! grep -qE '^not ok' "$f"; }; then
		not_ok "$label ended badly (status $rc, no plan or no failing line)"
		tail -n 20 "$f" | sed 's/^/# /'
	fi
}

tap_done() {
	echo "1..$TAP_N"
	[ "$TAP_FAILED" -eq 0 ]
}
