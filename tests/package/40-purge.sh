#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# apt purges both packages: the in-tree modules autoload again, the stock
# iptables refuses --fail-open, no nfext diversion is left, dpkg --verify is
# clean and /lib/modules, /usr, /etc and /var/lib/dkms hold the files they
# held before 10 (lib.sh files_diff).
cd "$(dirname "$0")" && source ../lib/common.sh && source ../lib/modules.sh && source ./lib.sh
[ -f "$STATE/before-deb" ] || die "run after 10-apt-install"
unload_all
t0=$(date +%s)
apt_get purge nfext nfext-dkms > "$STATE/purge.log" 2>&1
eq "apt-get purge nfext nfext-dkms: exit status" "$?" 0 || tail -n 30 "$STATE/purge.log"
echo "# apt purge took $(( $(date +%s) - t0 )) s"
eq "no nfext diversion" "$(nfext_diversions)" ""
dpkg_clean
eq "dkms knows no nfext" "$(dkms status nfext 2>&1)" ""
netns r
ok "iptables -m rpfilter (in-tree)" nsrun r iptables -t raw -A PREROUTING -m rpfilter --invert -j DROP
intree ipt_rpfilter
ok "nft fib (in-tree)" nsrun r nft add table ip t '{ chain c { type filter hook prerouting priority 0; fib saddr . iif oif missing drop; }; }'
intree nft_fib_ipv4
intree nft_fib
ok "iptables -j NFQUEUE (in-tree)" nsrun r iptables -A FORWARD -j NFQUEUE --queue-num 0
intree xt_NFQUEUE
ok "iptables -j CT --notrack (in-tree)" nsrun r iptables -t raw -A PREROUTING -j CT --notrack
intree xt_CT
out=$(nsrun r iptables -A FORWARD -j NFQUEUE --queue-num 0 --fail-open 2>&1)
ne=$?
ok "iptables -j NFQUEUE --fail-open refused (status $ne)" test "$ne" -ne 0
contains "stock message" "$out" 'unknown option "--fail-open"'
nsrun r iptables -t raw -F
nsrun r iptables -F
nsrun r nft flush ruleset
unload_all
same_files before-deb
# every file the packages held (N and N+1) is gone (their directories are
# in the lists above), but for the stock paths nfext diverted: Debian's own
# files are back there (dpkg --verify iptables above)
left=$(sort -u "$STATE"/owned-* | grep -vxF -f <("$NFEXT_REPO/scripts/diversions.sh" paths) | while read -r f; do
	{ [ -e "$f" ] || [ -L "$f" ]; } && [ ! -d "$f" ] && echo "$f"
done)
eq "no file of nfext's packages left" "$left" ""
finish
