# SPDX-License-Identifier: GPL-2.0
#
# Helpers of the NFQUEUE benchmarks (sourced after ../lib/common.sh,
# ../lib/modules.sh and ../nfqueue/lib.sh).

unload() { unload_mods xt_NFQUEUE nfnetlink_queue || die "cannot unload $UNLOAD_STUCK"; }

# The ablation builds of tests/bench/variants.sh, when the host built them:
# nfext without the socket-room estimate, nfext without the id table.
variant_ko() { echo "$NFEXT_REPO/build/bench-variants/$1/kernel/nfnetlink_queue/nfnetlink_queue.ko"; }
NOROOM_KO=$(variant_ko noroom)
NOIDS_KO=$(variant_ko noids)

# use nfext|intree|VARIANT: the queue handler and NFQUEUE target in use
# from now (a variant, e.g. noroom or noids: its handler, from
# build/bench-variants/VARIANT, with nfext's target).
use() {
	local v
	unload
	if [ "$1" != nfext ] && [ "$1" != intree ]; then
		v=$(variant_ko "$1")
		load_ko "$v" && load_ko "$(ko xt_NFQUEUE)" ||
			die "cannot load the $1 variant"
		[ "$(cat /sys/module/nfnetlink_queue/srcversion)" = "$(modinfo -F srcversion "$v")" ] ||
			die "the $1 variant is not in use"
	elif [ "$1" = nfext ]; then
		load_ko "$(ko nfnetlink_queue)" && load_ko "$(ko xt_NFQUEUE)" ||
			die "cannot load nfext's modules"
		is_ours nfnetlink_queue && is_ours xt_NFQUEUE || die "nfext's modules not in use"
	else
		modprobe --ignore-install nfnetlink_queue &&
			modprobe --ignore-install xt_NFQUEUE || die "cannot load in-tree modules"
		is_ours nfnetlink_queue && die "in-tree nfnetlink_queue not in use"
	fi
}

# median: the median of the numbers on stdin, one a line.
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.2f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
