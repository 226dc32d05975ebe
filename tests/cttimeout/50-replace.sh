#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# add --replace updates a policy in place: the rule that uses it keeps
# using the same policy (its use count does not change) and the next flow
# gets the new value; states not named keep theirs; a policy cannot be
# replaced by one of another family or protocol; without --replace an
# existing policy is refused.
cd "$(dirname "$0")" && source ../lib/common.sh && source ./lib.sh
need socat conntrack
assert_ours xt_CT
topo
ok "policy" ctt srv add web_t inet tcp established 100 close 9
ok "rule" ipt nft srv -t raw -A PREROUTING -p tcp --dport 7000:7999 -j CT --timeout web_t
use=$(use_of srv web_t)
start_clock
ok "first flow" tcp_flow 7001
within "first flow: established 100" "$(ct_timeout srv tcp 7001)" 100
run_err err ctt srv add web_t inet tcp established 300
eq "add without --replace refused" "$RC" 1
eq "message" "$err" "ct-timeout: policy web_t already exists (use --replace to update it)"
eq "value unchanged" "$(state_of srv web_t established)" 100
ok "--replace" ctt srv add --replace web_t inet tcp established 300
eq "new value" "$(state_of srv web_t established)" 300
eq "state not named keeps its value" "$(state_of srv web_t close)" 9
# the rule holds 2 references, the first flow 1: unchanged by --replace
eq "same policy object (use count)" "$(use_of srv web_t)" "$((use + 1))"
start_clock
ok "second flow" tcp_flow 7002
within "second flow: established 300" "$(ct_timeout srv tcp 7002)" 300
run_err err ctt srv add --replace web_t inet udp replied 5
eq "other protocol refused" "$RC" 1
eq "message" "$err" "ct-timeout: policy web_t is inet tcp; --replace cannot make it inet udp"
run_err err ctt srv add --replace web_t inet6 tcp established 5
eq "other family refused" "$RC" 1
ok "--replace of a missing policy creates it" ctt srv add --replace fresh inet udp replied 5
eq "created" "$(state_of srv fresh replied)" 5
finish
