#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Differential test of the reverse-path core's two users: on a random
# router (seeded: ECMP, nexthop groups, a VRF, a fwmark table, blackhole,
# unreachable and prohibit routes, metrics), 24 rpfilter option sets (strict,
# loose, feasible x --no-default x --validmark x --accept-local, and each
# with --invert) and the nft fib rules iptables-translate gives for them
# judge the same random packets; every verdict must agree (rpfdiff.py).
# RPF_DIFF_SEEDS / RPF_DIFF_ROUTES / RPF_DIFF_PKTS make a bigger run
# (make rpfilter-diff).
. ../lib/common.sh
. ./lib.sh
RPF_NFT_TOOL=$(. "$NFEXT_REPO/tests/tools/build.sh" && tools_build nft-fib-rule) ||
	die "cannot build nft-fib-rule"
export RPF_NFT_TOOL
for seed in ${RPF_DIFF_SEEDS:-1}; do
	for f in 4 6; do
		netns r h
		at h sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
		out=$(at h python3 ./rpfdiff.py $f "$seed" "${RPF_DIFF_ROUTES:-14}" "${RPF_DIFF_PKTS:-60}" 2>&1)
		rc=$?
		echo "$out" | grep -v '^#   '
		eq "IPv$f seed $seed: every rpfilter option set agrees with its nft fib rule" "$rc" 0
		ip netns del r; ip netns del h
	done
done
urpf_finish
