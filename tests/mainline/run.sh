#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make mainline-selftests: run the kernel's own netfilter selftests that
# cover what nfext replaces (rpath.sh, nft_fib.sh, nft_queue.sh) in one
# guest, on nfext's modules. The scripts and their helper programs come
# from Debian's linux-source-6.1 at run time (nothing of them is kept in
# this tree); they are not part of `make check`.
#   tests/mainline/run.sh [SELFTEST...]
# MAINLINE_INTREE=1 runs them on the in-tree modules instead; with
# MAINLINE_DEBUG=1 the guest boots the debug kernel of make check-debug
# (tests/debug/kernel.sh), nfext's modules built for it in build/debug;
# NFEXT_TIME_SCALE=N makes the selftests' fixed waits N times longer.
set -u
cd "$(dirname "$0")/../.." || exit 2
dir=build/mainline/netfilter
if [ ! -f "$dir/nf-queue.c" ]; then
	. tests/lib/linux-source.sh
	msg=$(linux_source_extract build/mainline 4 \
		'*/tools/testing/selftests/netfilter/*') ||
		{ echo "mainline: $msg"; exit 2; }
fi
[ -f "$dir/nf-queue.c" ] || { echo "mainline: no selftests in linux-source-6.1"; exit 2; }
gcc -O2 -o "$dir/nf-queue" "$dir/nf-queue.c" -lmnl &&
	gcc -O2 -o "$dir/connect_close" "$dir/connect_close.c" ||
	{ echo "mainline: cannot build the selftests' helpers"; exit 2; }
out=build/mainline/out
rm -rf "$out"
mkdir -p "$out"
genv=(env MAINLINE_TESTS="$*" MAINLINE_INTREE="${MAINLINE_INTREE:-0}"
	NFEXT_TIME_SCALE="${NFEXT_TIME_SCALE:-1}")
if [ "${MAINLINE_DEBUG:-0}" = 1 ]; then
	kdir=$(tests/debug/kernel.sh) || exit 2
	[ -d build/debug/kernel ] ||
		{ echo "mainline: run tests/debug/run.sh once to build nfext's modules for the debug kernel"; exit 2; }
	export NFEXT_VM_IMG=$kdir/img NFEXT_KVER=$(cat "$kdir/kver") NFEXT_VM_MEM=4096
	# 4-level paging, as tests/debug/run.sh explains
	export NFEXT_VM_CPU=${NFEXT_VM_CPU:-max,la57=off}
	genv+=(NFEXT_KO_ROOT="$PWD/build/debug")
fi
NFEXT_VM_OUT=$PWD/$out tests/vm/vm.sh run "${genv[@]}" tests/mainline/guest.sh
rc=$?
[ -s "$out/summary" ] && cat "$out/summary"
exit $rc
