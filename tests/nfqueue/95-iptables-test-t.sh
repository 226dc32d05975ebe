#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# iptables' own test suite on the patched extensions/libxt_NFQUEUE.t (with
# the --fail-open lines the patch series adds), run by iptables-test.py
# against the installed iptables binaries with nfext's plugin first in
# XTABLES_LIBDIR, for the legacy and the nft front ends.
cd "$(dirname "$0")" && source ../lib/common.sh && source ./lib.sh
assert_ours nfnetlink_queue xt_NFQUEUE
src=$NFEXT_REPO/build/iptables/src
[ -f "$src/iptables-test.py" ] || die "no patched iptables source in $src (make iptables-patches)"
t=$src/extensions/libxt_NFQUEUE.t
eq "the .t file carries the --fail-open lines" "$(grep -c -- --fail-open "$t")" 7
cp -r "$src/iptables-test.py" "$src/extensions" "$NFQ_TMP/"
cd "$NFQ_TMP" || die "cd"
out=$(python3 iptables-test.py -H extensions/libxt_NFQUEUE.t 2>&1)
rc=$?
echo "$out" | tail -n 5 | sed 's/^/# /'
eq "iptables-test.py status" "$rc" 0
n=$(grep -c ';' extensions/libxt_NFQUEUE.t)
contains "legacy: all $n lines pass" "$out" "legacy: 1 test files, $n unit tests, $n passed"
contains "nft: all $n lines pass" "$out" "nft: 1 test files, $n unit tests, $n passed"
finish
