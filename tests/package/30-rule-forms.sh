#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# With the packages installed and nothing loaded by hand, every rule form
# autoloads nfext's module as DKMS built it (taint O, srcversion of the .ko
# in updates/dkms) and behaves: rpfilter drops a spoofed IPv4 and IPv6
# ping, fib drops a ping with no route back (ip, ip6, inet, netdev rules
# load), NFQUEUE --fail-open accepts what a full queue cannot take, and
# CT --timeout gives a ping flow the policy made with the packaged ct-timeout.
cd "$(dirname "$0")" && source ../lib/common.sh && source ../lib/modules.sh && source ./lib.sh
dpkg-query -W -f='${Status}' nfext-dkms 2>/dev/null | grep -q ' installed' || die "run after 10-apt-install"
source ../nfqueue/lib.sh
IPT=iptables	# the system's iptables, as an administrator types it
D=/lib/modules/$KVER/updates/dkms
unload_all
topo
ip -n cli addr add fd01::2/64 dev eth0 nodad
ip -n rtr addr add fd01::1/64 dev eth0 nodad
ip -n rtr addr add fd02::1/64 dev eth1 nodad
ip -n srv addr add fd02::2/64 dev eth0 nodad
ip -n cli route add default via fd01::1
ip -n srv route add default via fd02::1
nsrun rtr sysctl -qw net.ipv6.conf.all.forwarding=1
# spoofed: cli claims srv's subnet (route back through eth1, not eth0)
ip -n cli addr add 10.0.2.77/32 dev eth0
# deprecated (preferred_lft 0): only a ping bound to it (-I) uses it; as
# the longest match with fd02::2 it would otherwise be every ping's source
ip -n cli addr add fd02::77/128 dev eth0 nodad preferred_lft 0
# neighbours resolved first (topo does it for IPv4): under TCG the first
# IPv6 pings can wait longer than ping does for them
nsrun cli ping -6 -c 1 -W 10 fd02::2 >/dev/null || die "topology: no IPv6 route cli -> srv"

log "iptables -m rpfilter, ip6tables -m rpfilter"
ok "iptables -t raw -A PREROUTING -m rpfilter --invert -j DROP" nsrun rtr iptables -t raw -A PREROUTING -m rpfilter --invert -j DROP
ok "ip6tables -t raw -A PREROUTING -m rpfilter --invert -j DROP" nsrun rtr ip6tables -t raw -A PREROUTING -m rpfilter --invert -j DROP
is_dkms_ours xt_rpfilter "$D"
assert_absent ipt_rpfilter ip6t_rpfilter
eq "IPv4: legitimate pings answered" "$(pings cli 10.0.2.2 3)" 3
eq "IPv4: spoofed pings unanswered" "$(nsrun cli ping -n -q -c 3 -i 0.05 -W 1 -I 10.0.2.77 10.0.2.2 2>/dev/null | sed -n 's/.* \([0-9]*\) received.*/\1/p')" 0
ge "IPv4: the DROP rule counted them" "$(nsrun rtr iptables -t raw -L PREROUTING 1 -v -x -n | awk '{ print $1 }')" 3
eq "IPv6: legitimate pings answered" "$(pings cli fd02::2 3)" 3
eq "IPv6: spoofed pings unanswered" "$(nsrun cli ping -6 -n -q -c 3 -i 0.05 -W 1 -I fd02::77 fd02::2 2>/dev/null | sed -n 's/.* \([0-9]*\) received.*/\1/p')" 0
ge "IPv6: the DROP rule counted them" "$(nsrun rtr ip6tables -t raw -L PREROUTING 1 -v -x -n | awk '{ print $1 }')" 3
nsrun rtr iptables -t raw -F
nsrun rtr ip6tables -t raw -F
unload_mods xt_rpfilter

log "nft fib in the ip, ip6, inet and netdev families"
ok "nft fib rules in every family" nsrun rtr nft -f - <<'NFT'
table ip t4 { chain c { type filter hook prerouting priority 0; fib saddr . iif oif missing counter drop; }; }
table ip6 t6 { chain c { type filter hook prerouting priority 0; fib saddr . iif oif missing counter drop; }; }
table inet ti { chain c { type filter hook input priority 0; fib daddr . iif type != local drop; }; }
table netdev tn { chain c { type filter hook ingress device "eth1" priority 0; fib saddr . iif oif missing drop; }; }
NFT
for m in nft_fib nft_fib_ipv4 nft_fib_ipv6 nft_fib_inet nft_fib_netdev; do is_dkms_ours $m "$D"; done
ip -n cli addr add 10.99.0.1/32 dev eth0
eq "ip: legitimate pings answered" "$(pings cli 10.0.2.2 3)" 3
eq "ip: pings from 10.99.0.1 (no route back) unanswered" "$(nsrun cli ping -n -q -c 3 -i 0.05 -W 1 -I 10.99.0.1 10.0.2.2 2>/dev/null | sed -n 's/.* \([0-9]*\) received.*/\1/p')" 0
contains "ip: the fib rule counted them" "$(nsrun rtr nft list chain ip t4 c)" "packets 3 "
nsrun rtr nft flush ruleset
unload_mods nft_fib_inet nft_fib_netdev nft_fib_ipv4 nft_fib_ipv6 nft_fib

log "-j NFQUEUE --fail-open with a listener holding a full queue"
ok "iptables -A FORWARD -p icmp -j NFQUEUE --queue-num 0 --fail-open" ipt rtr -A FORWARD -p icmp -j NFQUEUE --queue-num 0 --fail-open
listener rtr hold -q 0 -l 4 -H
is_dkms_ours xt_NFQUEUE "$D"
is_dkms_ours nfnetlink_queue "$D"
eq "4 of 8 echo replies (4 requests held)" "$(pings cli 10.0.2.2 8)" 4
eq "8 fail-open accepts (4 requests, 4 replies)" "$(nfq_proc rtr 0 10)" 8
stop hold "$LPID"
ipt rtr -F FORWARD

log "-j CT --timeout with a policy made by the packaged ct-timeout"
ok "ct-timeout add pkg_icmp_policy inet icmp timeout 17" nsrun rtr ct-timeout add pkg_icmp_policy inet icmp timeout 17
ok "iptables -t raw -A PREROUTING -p icmp -j CT --timeout pkg_icmp_policy" nsrun rtr iptables -t raw -A PREROUTING -p icmp -j CT --timeout pkg_icmp_policy
is_dkms_ours xt_CT "$D"
contains "iptables -S shows the whole policy name" "$(nsrun rtr iptables -t raw -S PREROUTING)" "--timeout pkg_icmp_policy"
eq "ping answered" "$(pings cli 10.0.2.2 1)" 1
t=$(nsrun rtr conntrack -L -p icmp 2>/dev/null | awk '/10.0.2.2/ { print $3; exit }')
ok "the ping's flow has the policy's timeout (17 s: $t)" test "${t:-99}" -le 17 -a "${t:-0}" -ge 10
nsrun rtr iptables -t raw -F
# the ping's flow holds the policy too (ct-timeout refuses while in use)
nsrun rtr conntrack -F 2>/dev/null
nsrun rtr ct-timeout delete --force pkg_icmp_policy
unload_all
finish
