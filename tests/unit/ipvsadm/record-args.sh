#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Records upstream ipvsadm's stderr and exit status for every line of
# args.list (all are rejected before any kernel request), as args.expected.
# Runs where upstream ipvsadm can initialise (the VM, ip_vs loaded):
#   tests/unit/ipvsadm/record-args.sh > tests/unit/ipvsadm/args.expected
set -u
here=$(cd "$(dirname "$0")" && pwd)
bin=$(mktemp -d)
ln -s /usr/sbin/ipvsadm "$bin/ipvsadm"
while IFS= read -r line; do
	err=$(eval "PATH=$bin:\$PATH ipvsadm $line" 2>&1 >/dev/null)
	rc=$?
	printf '%s\t%s\t%s\n' "$line" "$rc" "$(printf '%s' "$err" | sed ':a;N;$!ba;s/\n/\\n/g')"
done <"$here/args.list"
rm -rf "$bin"
