#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm-time: 147 (rough seconds, only for tests/run-all to start the longest files first)
#
# The second shard of tests/vm/cli-golden.sh (our ipvsadm against upstream
# ipvsadm 1.31 over the golden corpus, on our module), in a boot of its own.
#
#   netns g1: lo only.
GOLDEN_ONLY=1
. "$IPVSNG_TOP/tests/vm/cli-golden.sh"
