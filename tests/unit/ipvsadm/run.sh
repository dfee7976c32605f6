#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Runs the ipvsadm unit tests and numbers their results as one TAP stream.
set -u
here=$(cd "$(dirname "$0")" && pwd)
cd "$here" || exit 1
raw=$(mktemp)
trap 'rm -f "$raw"' EXIT

oneline() { sed ':a;N;$!ba;s/\n/\\n/g'; }

# same NAME WANT GOT: one result, with a diff when they differ.
same() {
	if [ "$3" = "$2" ]; then
		echo "ok - $1"
	else
		echo "not ok - $1"
		diff <(echo "$2") <(echo "$3") | sed 's/^/# /'
	fi
}

{
	# Rejected command lines: upstream's stderr and exit status
	# (args.expected, recorded by record-args.sh from ipvsadm 1.31).
	while IFS=$'\t' read -r args rc err; do
		got_err=$(eval "./test-args $args" 2>&1 >/dev/null)
		got_rc=$?
		got_err=$(printf '%s' "$got_err" | oneline)
		if [ "$got_rc" = "$rc" ] && [ "$got_err" = "$err" ]; then
			echo "ok - ipvsadm $args: exit $rc, upstream's message"
		else
			echo "not ok - ipvsadm $args"
			echo "#   want: $rc [$err]"
			echo "#   got:  $got_rc [$got_err]"
		fi
	done <args.expected

	# Accepted command lines: the parsed request (blank-line separated
	# blocks of "$ ipvsadm ARGS" followed by test-args' output).
	awk 'BEGIN { RS = ""; ORS = "\036" } { print }' args-ok.expected |
	while IFS= read -r -d $'\036' rec; do
		args=${rec%%$'\n'*}
		args=${args#\$ ipvsadm }
		want=${rec#*$'\n'}
		got=$(eval "./test-args $args" 2>&1)
		same "parsed request of ipvsadm $args" "$want" "$got"
	done

	# Lines the plain-line parser takes (and near misses it must leave
	# to popt): the same request, message and status as popt alone.
	{
		cut -f1 args.expected
		sed -n 's/^\$ ipvsadm //p' args-ok.expected
		grep -v '^#' plain.list
	} | while IFS= read -r args; do
		# Bounded: popt loops forever on some values (see plain.list).
		want=$(eval "TEST_ARGS_POPT=1 timeout 10 ./test-args $args" 2>&1; echo "rc=$?")
		got=$(eval "timeout 10 ./test-args $args" 2>&1; echo "rc=$?")
		same "plain parser agrees with popt: ipvsadm $args" "$want" "$got"
	done

	./test-replay services data/full.rec data/full
	./test-replay timeout data/timeout.rec data/timeout.txt
	./test-replay daemon data/daemon.rec data/daemon.txt
	./test-units
	python3 matrix_check.py "$here/../../../tools/ipvsadm/opts.c"
} >"$raw" 2>&1

n=0
failed=0
while IFS= read -r line; do
	case $line in
	"ok - "*)
		n=$((n + 1))
		echo "ok $n - ${line#ok - }" ;;
	"not ok - "*)
		n=$((n + 1)); failed=$((failed + 1))
		echo "not ok $n - ${line#not ok - }" ;;
	*)
		echo "$line" ;;
	esac
done <"$raw"
echo "1..$n"
[ "$failed" = 0 ]
