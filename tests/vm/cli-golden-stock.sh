#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm-time: 312 (rough seconds, only for tests/run-all to start the longest files first)
#
# Our ipvsadm against upstream ipvsadm 1.31 over the golden corpus
# (tests/vm/cli/), on the stock module (tests/vm/cli-golden.sh: on ours).
# One shard only: the stock module's service tables are global and a dump
# resumes by position across all namespaces, so changes in one namespace
# make another's multi-part dump repeat entries (seen here).
#
#   netns g0: lo only; no traffic except the -c/--stats checks.
. "$IPVSNG_TOP/tests/lib/vm.sh"
. "$IPVSNG_TOP/tests/vm/cli/phase.sh"

golden_phase stock 0/1
tap_done
