#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# After `make install`, nft's own module requests (nft-expr-FAMILY-fib)
# for the ip, ip6, inet and netdev families load nfext's fib modules from
# updates/nfext (depmod prefers updates/ over the in-tree kernel/ dir),
# never the in-tree ones. (`make uninstall` is left out: a second depmod
# of the whole tree in the TCG guest costs minutes.)
# (This area loads nothing beforehand: what loads is what modprobe picks.)
# The top-level install target runs for this part only (KMOD_DIRS and
# USER_DIRS limited to nft_fib and userspace/nft, the iptables rebuild
# skipped with -o): a full build inside the TCG guest takes too long.
source ../lib/common.sh
MODS="nft_fib nft_fib_ipv4 nft_fib_ipv6 nft_fib_inet nft_fib_netdev"
netns r
unload() {
	local m
	nsrun r nft flush ruleset
	for m in nft_fib_inet nft_fib_netdev nft_fib_ipv4 nft_fib_ipv6 nft_fib; do
		[ -d /sys/module/$m ] && rmmod $m
	done
	return 0
}
use_fib() {
	nsrun r nft -f - <<'EOF2'
table ip t4 {
	chain c { type filter hook prerouting priority 0; fib saddr . iif oif missing drop; }
}
table ip6 t6 {
	chain c { type filter hook prerouting priority 0; fib saddr . iif oif missing drop; }
}
table inet ti {
	chain c { type filter hook input priority 0; fib daddr . iif type != local drop; }
}
table netdev tn {
	chain c { type filter hook ingress device "lo" priority 0; fib saddr . iif oif missing drop; }
}
EOF2
}
unload
assert_absent $MODS

log "make install"
# KDIR as on the build host (the newest headers), so kbuild finds the
# modules up to date instead of rebuilding them under another path.
kdir=$(ls -d /usr/src/linux-headers-*-amd64 | sort -V | tail -n1)
MK=(make -C "$NFEXT_REPO" -s -o iptables-patches KDIR="$kdir" KMOD_DIRS=kernel/nft_fib USER_DIRS=userspace/nft)
out=$("${MK[@]}" install 2>&1)
rc=$?
eq "make install: exit status" "$rc" 0 || echo "$out" | tail -n 20
kver=$(uname -r)
for m in $MODS; do
	ok "$m.ko installed under updates/nfext" test -f "/lib/modules/$kver/updates/nfext/$m.ko"
	contains "modprobe picks updates/nfext for $m" "$(modinfo -n $m)" "/updates/nfext/$m.ko"
done
for a in 2:nft_fib_ipv4 10:nft_fib_ipv6 1:nft_fib_inet 5:nft_fib_netdev; do
	eq "nft-expr-${a%%:*}-fib resolves to" "$(modprobe --resolve-alias nft-expr-${a%%:*}-fib)" "${a#*:}"
done
ok "nft loads fib rules in ip, ip6, inet and netdev (autoload)" use_fib
assert_ours $MODS
unload

finish
