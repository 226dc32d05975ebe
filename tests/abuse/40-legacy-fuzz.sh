#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The same x_tables blobs through libiptc (nl-fuzz legacy: ip(6)tables
# entries with the rpfilter match or the NFQUEUE, CT or NOTRACK target,
# right and wrong sizes, inconsistent match/target size fields), committed
# to raw, mangle and filter under a ping flood. Afterwards the chains are
# empty, the references are back and iptables-legacy rules still work.
cd "$(dirname "$0")" && source ../lib/common.sh && source ../nfqueue/lib.sh && source ./lib.sh
assert_ours $XT_MODS
topo
refs_save $XT_MODS nfnetlink_queue
# the tables exist once ip(6)tables-legacy looked at them
for t in raw mangle filter; do
	nsrun rtr iptables-legacy -t "$t" -S > /dev/null || die "iptables-legacy -t $t"
	nsrun rtr ip6tables-legacy -t "$t" -S > /dev/null || die "ip6tables-legacy -t $t"
done
flood cli 10.0.2.2
before=$(bad_dmesg)
fuzz_run legacy "$(size 100000 2000)" ip:raw:PREROUTING ip:raw:OUTPUT \
	ip:mangle:PREROUTING ip:filter:FORWARD ip6:raw:PREROUTING ip6:mangle:PREROUTING
eq "no oops or warning in dmesg" "$(bad_dmesg)" "$before"
for t in raw mangle filter; do
	eq "iptables-legacy $t is empty" "$(nsrun rtr iptables-legacy -t "$t" -S | grep -c '^-A')" 0
	eq "ip6tables-legacy $t is empty" "$(nsrun rtr ip6tables-legacy -t "$t" -S | grep -c '^-A')" 0
done
refs_back $XT_MODS nfnetlink_queue
kill "${NFQ_PIDS[@]}" 2>/dev/null
wait 2>/dev/null
xt_real_check iptables-legacy
finish
