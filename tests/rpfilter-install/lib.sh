# SPDX-License-Identifier: GPL-2.0
# Helpers for the install scenarios (sourced after ../lib/common.sh).
unset XTABLES_LIBDIR	# the system's plugin directory, as on a real host
at() { local ns=$1; shift; ip netns exec "$ns" "$@"; }
# `make install` of the rpfilter parts only (KMOD_DIRS/USER_DIRS), from the
# tree `make` already built on the host (-o all): rebuilding under TCG would
# take many minutes and is not these tests' subject.
PARTS=(-o all KMOD_DIRS=kernel/xt_rpfilter USER_DIRS=userspace/libxt_rpfilter)
# gone: no rpfilter rule and no rpfilter module left.
gone() {
	local m t i
	for t in raw mangle; do
		for i in iptables-legacy ip6tables-legacy iptables-nft ip6tables-nft; do
			at r $i -t $t -F 2>/dev/null
		done
	done
	at r nft flush ruleset
	for m in xt_rpfilter ipt_rpfilter ip6t_rpfilter; do
		[ -d /sys/module/$m ] && rmmod $m
	done
	return 0
}
