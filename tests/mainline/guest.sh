#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Guest side of tests/mainline/run.sh: nfext's modules in, the in-tree ones
# they replace blocked, then each selftest; a summary line per test and
# "N passed, N failed, N skipped" in /nfext-out/summary.
cd "$(dirname "$0")" || exit 2
source ../lib/common.sh
source ../lib/modules.sh
sel=build/mainline/netfilter
# MAINLINE_INTREE=1: the kernel's own modules, for comparison.
if [ "${MAINLINE_INTREE:-0}" != 1 ]; then
	for a in rpfilter fib nfqueue; do
		block_area_modules "$NFEXT_REPO/tests/$a"
		load_area_modules "$NFEXT_REPO/tests/$a" ||
			die "cannot load nfext's $a modules"
	done
	for m in xt_rpfilter nft_fib_inet nfnetlink_queue xt_NFQUEUE; do
		is_ours "$m" || die "$m is not nfext's"
	done
fi
sum=/nfext-out/summary
: > "$sum"
pass=0 fail=0 skip=0
cd "$NFEXT_REPO/$sel" || die "no $sel"
# NFEXT_TIME_SCALE (make check-debug's, for a slow kernel): a copy of each
# selftest whose fixed waits (sleep N) and listener timeouts (timeout=N)
# are that many times longer; its checks are unchanged.
k=${NFEXT_TIME_SCALE:-1}
for t in ${MAINLINE_TESTS:-rpath.sh nft_fib.sh nft_queue.sh}; do
	echo "=== mainline/$t${k:+ (time scale $k)}"
	run=$t
	if [ "$k" != 1 ]; then
		run=scaled-$t
		K=$k perl -pe 's/\bsleep ([0-9.]+)\b/"sleep " . $1 * $ENV{K}/ge;
			s/^(\s*timeout=)([0-9]+)\s*$/$1 . $2 * $ENV{K} . "\n"/e' "$t" > "$run"
	fi
	timeout $((900 * k)) bash "./$run"
	rc=$?
	case $rc in
	0) r=pass; pass=$((pass + 1)) ;;
	4) r=skip; skip=$((skip + 1)) ;;
	*) r=fail; fail=$((fail + 1)) ;;
	esac
	echo "  $r  mainline/$t (exit $rc)" | tee -a "$sum"
done
bad=$(sed -n "s/^BAD='\(.*\)'$/\1/p" "$NFEXT_REPO/tests/check.sh")
if dmesg | grep -E "$bad"; then
	echo "  fail  mainline/dmesg-clean" | tee -a "$sum"
	fail=$((fail + 1))
fi
echo "$pass passed, $fail failed, $skip skipped" >> "$sum"
[ "$fail" -eq 0 ]
