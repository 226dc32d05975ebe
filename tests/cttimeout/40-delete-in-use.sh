#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Linux 6.1 deletes a cttimeout policy even while rules use it (the rules
# keep an orphaned copy, the name is gone). ct-timeout delete refuses a
# policy in use with one line naming the rule count and exit 1, keeps it
# and the rule working; --force deletes it; unused, it deletes quietly.
cd "$(dirname "$0")" && source ../lib/common.sh && source ./lib.sh
need socat conntrack
assert_ours xt_CT
topo
for v in $IPTABLES_VARIANTS; do
	log "iptables-$v"
	ok "$v: policy" ctt srv add web_t inet tcp established 100
	ok "$v: one rule uses it" ipt "$v" srv -t raw -A PREROUTING -p tcp --dport 7777 -j CT --timeout web_t
	run_err err ctt srv delete web_t
	eq "$v: delete of a policy in use fails" "$RC" 1
	eq "$v: with the message" "$err" "ct-timeout: policy web_t is in use by 1 rules; remove them first"
	ok "$v: policy still listed" sh -c "ip netns exec srv $CTT list | grep -q '^web_t '"
	start_clock
	ok "$v: rule still gets it" tcp_flow 7777
	within "$v: flow has the policy's timeout" "$(ct_timeout srv tcp 7777)" 100
	raw_table "$v" srv iptables \
		"-A PREROUTING -p tcp --dport 7777 -j CT --timeout web_t" \
		"-A OUTPUT -p tcp --sport 7777 -j CT --timeout web_t"
	run_err err ctt srv delete web_t
	eq "$v: two rules: still refused" "$RC" 1
	contains "$v: counted as 2 rules" "$err" "policy web_t is in use by 2 rules; remove them first"
	ok "$v: --force deletes it" ctt srv delete --force web_t
	nok "$v: gone" ctt srv get web_t
	ipt "$v" srv -t raw -F
	nsx srv conntrack -F >/dev/null 2>&1
	ok "$v: policy again" ctt srv add web_t inet tcp established 100
	ok "$v: rule again" ipt "$v" srv -t raw -A PREROUTING -p tcp --dport 7777 -j CT --timeout web_t
	ok "$v: rule removed" ipt "$v" srv -t raw -D PREROUTING -p tcp --dport 7777 -j CT --timeout web_t
	ok "$v: unused policy deletes" ctt srv delete web_t
	run_err err ctt srv list
	eq "$v: list is empty" "$(ctt srv list)" ""
done
finish
