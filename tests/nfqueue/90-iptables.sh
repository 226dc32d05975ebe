#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The patched libxt_NFQUEUE: --fail-open in help, list, save and restore
# (legacy and nft front ends), refused for nftables translation, and
# refused with a clear message by a kernel without nfext's NFQUEUE target
# (the in-tree xt_NFQUEUE), never silently dropped.
cd "$(dirname "$0")" && source ../lib/common.sh && source ./lib.sh
assert_ours xt_NFQUEUE
[ -f "$NFEXT_REPO/build/xtables/libxt_NFQUEUE.so" ] ||
	die "build/xtables/libxt_NFQUEUE.so is not built (make iptables-patches)"
netns fw

contains "help lists --fail-open" "$(iptables -j NFQUEUE -h)" "--fail-open"

for v in legacy nft; do
	x="iptables-$v"
	log "$x"
	ok "$x: rule with --fail-open" nsrun fw "$x" -A FORWARD -p tcp -j NFQUEUE --queue-num 3 --fail-open
	ok "$x: all options" nsrun fw "$x" -A FORWARD -j NFQUEUE --queue-bypass --fail-open --queue-balance 4:7 --queue-cpu-fanout
	ok "$x: without" nsrun fw "$x" -A FORWARD -j NFQUEUE --queue-num 9
	save=$(nsrun fw "$x-save" -t filter | grep NFQUEUE)
	contains "$x: save" "$save" "-A FORWARD -p tcp -j NFQUEUE --queue-num 3 --fail-open"
	contains "$x: save, all options" "$save" "-A FORWARD -j NFQUEUE --queue-balance 4:7 --queue-bypass --queue-cpu-fanout --fail-open"
	eq "$x: only the two rules carry it" "$(echo "$save" | grep -c -- --fail-open)" 2
	list=$(nsrun fw "$x" -L FORWARD -n)
	contains "$x: list" "$list" "NFQUEUE num 3 fail-open"
	contains "$x: list, all options" "$list" "NFQUEUE balance 4:7 bypass cpu-fanout fail-open"
	ok "$x: check finds the rule" nsrun fw "$x" -C FORWARD -p tcp -j NFQUEUE --queue-num 3 --fail-open
	nok "$x: check tells it from the rule without" nsrun fw "$x" -C FORWARD -p tcp -j NFQUEUE --queue-num 3
	dump=$(nsrun fw "$x-save")
	nsrun fw "$x" -F
	ok "$x: restore" nsrun fw "$x-restore" <<< "$dump"
	eq "$x: round trip" "$(nsrun fw "$x-save" -t filter | grep NFQUEUE)" "$save"
	nsrun fw "$x" -F
	out=$(nsrun fw "$x" -A FORWARD -j NFQUEUE --fail-open --fail-open 2>&1)
	eq "$x: twice refused (status)" "$?" 2
	contains "$x: twice refused (message)" "$out" "fail-open"
done

log "ip6tables"
ok "ip6tables: rule with --fail-open" nsrun fw ip6tables-legacy -A FORWARD -j NFQUEUE --queue-num 6 --fail-open
contains "ip6tables: save" "$(nsrun fw ip6tables-legacy-save -t filter)" "-A FORWARD -j NFQUEUE --queue-num 6 --fail-open"
nsrun fw ip6tables-legacy -F

log "translation to nftables"
out=$(iptables-translate -A FORWARD -j NFQUEUE --queue-num 3 --fail-open 2>&1)
contains "xlate prints nft's queue flag fail-open" "$out" "queue flags fail-open to 3"
contains "xlate with --queue-bypass" \
	"$(iptables-translate -A FORWARD -j NFQUEUE --queue-num 3 --queue-bypass --fail-open 2>&1)" \
	"queue flags bypass,fail-open to 3"
contains "xlate without --fail-open still works" \
	"$(iptables-translate -A FORWARD -j NFQUEUE --queue-num 3 2>&1)" "queue num 3"

log "a kernel with the in-tree NFQUEUE target"
intree=/lib/modules/$(uname -r)/kernel/net/netfilter/xt_NFQUEUE.ko
[ -f "$intree" ] || die "no in-tree $intree"
# rmmod_retry MOD: nft_compat lets go of a target after its commit.
rmmod_retry() {
	local i
	for i in $(seq 30); do
		rmmod "$1" 2>/dev/null && return 0
		sleep 0.2
	done
	rmmod "$1"
}
ok "nfext's xt_NFQUEUE unloads" rmmod_retry xt_NFQUEUE
ok "in-tree xt_NFQUEUE loads" insmod "$intree"
for v in legacy nft; do
	out=$(nsrun fw "iptables-$v" -A FORWARD -j NFQUEUE --queue-num 3 --fail-open 2>&1)
	rc=$?
	ok "iptables-$v: refused" test "$rc" -ne 0
	contains "iptables-$v: clear message" "$out" "--fail-open is not supported by the running kernel"
	eq "iptables-$v: no rule half-added" "$(nsrun fw "iptables-$v-save" -t filter | grep -c NFQUEUE)" 0
	ok "iptables-$v: rules without --fail-open still work" \
		nsrun fw "iptables-$v" -A FORWARD -j NFQUEUE --queue-num 3
	nsrun fw "iptables-$v" -F
done
ok "in-tree xt_NFQUEUE unloads" rmmod_retry xt_NFQUEUE
. ../lib/modules.sh
ok "nfext's xt_NFQUEUE loads again" load_ko "$(ko xt_NFQUEUE)"
assert_ours xt_NFQUEUE
finish
