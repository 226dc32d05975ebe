#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The README examples (userspace/ct-timeout/examples) run as shipped: the
# iptables one makes its policies and rules and a web flow gets 3000 s; the
# nft file loads and a web flow gets its object's 3000 s; the nfct one runs.
cd "$(dirname "$0")" && source ../lib/common.sh && source ./lib.sh
need nft nfct socat conntrack
ex=$NFEXT_REPO/userspace/ct-timeout/examples
export PATH=$NFEXT_REPO/build/bin:$PATH
topo
ok "iptables example runs" nsx srv sh "$ex/iptables-ct-timeout.sh"
eq "its policy" "$(state_of srv web_short established)" 3000
contains "its rule" "$(nsx srv iptables -t raw -S PREROUTING)" "--timeout web_short"
start_clock
ok "web flow" tcp_flow 443
within "web flow gets 3000 s" "$(ct_timeout srv tcp 443)" 3000
nsx srv iptables -t raw -F
nsx srv ip6tables -t raw -F
nsx srv conntrack -F >/dev/null 2>&1
ok "nft example loads" nsx srv nft -f "$ex/nft-ct-timeout.nft"
start_clock
ok "web flow" tcp_flow 80
within "web flow gets the object's 3000 s" "$(ct_timeout srv tcp 80)" 3000
ok "nfct example runs" nsx srv sh "$ex/nfct-interop.sh"
eq "nfct made ping_short" "$(state_of srv ping_short timeout)" 5
finish
