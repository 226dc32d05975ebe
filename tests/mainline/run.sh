#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make mainline-selftests: run the kernel's own netfilter selftests that
# cover what nfext replaces (rpath.sh, nft_fib.sh, nft_queue.sh) in one
# guest, on nfext's modules. The scripts and their helper programs come
# from Debian's linux-source-6.1 at run time (nothing of them is kept in
# this tree); they are not part of `make check`.
#   tests/mainline/run.sh [SELFTEST...]
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
NFEXT_VM_OUT=$PWD/$out tests/vm/vm.sh run env MAINLINE_TESTS="$*" tests/mainline/guest.sh
rc=$?
[ -s "$out/summary" ] && cat "$out/summary"
exit $rc
