#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `make soak` (host side): boot one guest, run tests/abuse/soak.sh for
# NFEXT_SOAK_SECONDS (default 600) and scan the guest's kernel log as
# make check does. On the debug kernel: NFEXT_VM_IMG/NFEXT_KVER/
# NFEXT_KO_ROOT/NFEXT_TIME_SCALE as tests/debug/run.sh sets them.
set -u
REPO=$(cd "$(dirname "$0")/../.." && pwd)
cd "$REPO" || exit 2
OUT=$REPO/build/test-results/vm-soak
rm -rf "$OUT"
mkdir -p "$OUT"
env=(env "NFEXT_SOAK_SECONDS=${NFEXT_SOAK_SECONDS:-600}")
for v in NFEXT_KO_ROOT NFEXT_TIME_SCALE; do
	[ -n "${!v:-}" ] && env+=("$v=${!v}")
done
NFEXT_VM_OUT=$OUT tests/vm/vm.sh run "${env[@]}" tests/abuse/soak.sh
rc=$?
BAD='BUG:|WARNING:|Oops|general protection fault|Kernel panic|refcount_t:|list_(add|del) corruption|UBSAN:|KASAN:|soft lockup|hung_task|INFO: (possible|trying to register|lockdep|suspicious|inconsistent)|suspected memory leak'
if [ -f "$OUT/dmesg" ] && grep -Eq "$BAD" "$OUT/dmesg"; then
	echo "FAIL: the guest's kernel log shows trouble:"
	grep -E -B2 -A20 "$BAD" "$OUT/dmesg" | head -n 60
	rc=1
fi
[ "$rc" -eq 0 ] && echo "soak: passed" || echo "soak: FAILED (status $rc)"
exit "$rc"
