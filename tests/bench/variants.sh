#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Host side of `make bench`: ablation builds, nfext's modules with one
# design choice taken out, so that a benchmark can show what that choice
# is worth (nfext, the variant and the in-tree module alternate in one
# boot). Each variant is the committed source with one edit, applied to a
# copy under build/bench-variants/NAME/kernel/ and built there for the
# guest's kernel; the tree itself is never changed.
#
#   noroom  nfnetlink_queue whose nfqnl_queue_full() (per-rule fail-open)
#           asks only the queue length, not the socket-room estimate
#           (nfqnl_peer_full()): does the estimate matter for fail-open?
#   noids   nfnetlink_queue that never puts a packet in its id table (every
#           packet held is "unhashed": verdicts walk the list as mainline
#           does): what the table costs on the packet path at full rate
#
#   tests/bench/variants.sh KVER
set -eu
cd "$(dirname "$0")/../.."
kver=$1
kdir=/lib/modules/$kver/build
[ -d "$kdir" ] || kdir=/usr/src/linux-headers-$kver
root=build/bench-variants

# variant NAME DIR FILE OLD NEW: DIR's module with the text OLD of FILE
# replaced by NEW (OLD must occur exactly once: a moved line is an error,
# never a silent no-op).
variant() {
	local name=$1 dir=$2 file=$3 old=$4 new=$5 out n
	out=$root/$name/kernel
	rm -rf "${root:?}/$name"
	mkdir -p "$out"
	git ls-files -z kernel/include "kernel/$dir" | xargs -0 cp --parents -t "$root/$name"
	n=$(grep -cF -- "$old" "$out/$dir/$file" || true)
	if [ "$n" != 1 ]; then
		echo "bench variant $name: '$old' found $n times in kernel/$dir/$file (want 1)" >&2
		return 1
	fi
	OLD=$old NEW=$new perl -0pi -e 's/\Q$ENV{OLD}\E/$ENV{NEW}/' "$out/$dir/$file"
	make -s -C "$kdir" M="$PWD/$out/$dir" modules >/dev/null ||
		{ echo "bench variant $name: build failed" >&2; return 1; }
	echo "bench variant $name: $out/$dir"
}

variant noroom nfnetlink_queue nfqnl_enqueue.c \
	'nfqnl_peer_full(inst, skb, segs);' \
	'(false && nfqnl_peer_full(inst, skb, segs));'
variant noids nfnetlink_queue nfqnl_ids.h \
	's->entry = entry;' \
	'inst->unhashed++;'
