#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Shorter ESTABLISHED timeout (3000 s instead of 432000 s) for web flows,
# with a cttimeout policy and the iptables CT target (legacy or nft).
#
# Pitfalls:
# - The policy applies to NEW flows only: the CT target gives it to a flow
#   when its first packet passes the raw table. Flows already tracked keep
#   what they have (conntrack -D them, or wait for them to end).
# - The rule must name the layer 4 protocol (-p tcp), not inverted, and the
#   policy's family and protocol must fit the rule (inet/tcp here).
# - A policy that a rule references cannot be deleted (ct-timeout refuses;
#   Linux 6.1 itself would unlink it and leave the rule on a nameless copy).
#   Remove the rules first.
# - Linux 6.1's in-tree xt_CT reports only 4 characters of the policy name
#   back to iptables; nfext's xt_CT (make install) reports all of it. With
#   the in-tree module: nfext's libxt_CT (iptables-patches) makes
#   iptables -S and iptables-save print the full name, so keep the first 4
#   characters of the names that rules use distinct per protocol; and with
#   iptables-legacy change such a raw table with iptables-legacy-restore,
#   not -A/-D.
set -e

ct-timeout add web_short inet tcp established 3000 close_wait 30
ct-timeout add web6_short inet6 tcp established 3000

iptables -t raw -A PREROUTING -p tcp -m multiport --dports 80,443 \
	-j CT --timeout web_short
ip6tables -t raw -A PREROUTING -p tcp -m multiport --dports 80,443 \
	-j CT --timeout web6_short
# locally originated connections go through OUTPUT, not PREROUTING
iptables -t raw -A OUTPUT -p tcp -m multiport --dports 80,443 \
	-j CT --timeout web_short

# Change the value later, in place (rules keep using the policy):
#   ct-timeout add --replace web_short inet tcp established 1800
# See it:
#   ct-timeout get web_short
#   conntrack -L -p tcp --dport 443     (third column: seconds left)
