#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Every ct-timeout error: one line on stderr naming the problem, exit 1
# (2 for a command line that is not understood at all), nothing changed.
cd "$(dirname "$0")" && source ../lib/common.sh && source ./lib.sh
topo

# fails CODE "message" ARGS...: ct-timeout ARGS in srv exits CODE with
# exactly that one line on stderr.
fails() {
	local code=$1 msg=$2 err
	shift 2
	run_err err ctt srv "$@"
	eq "ct-timeout $* exits $code" "$RC" "$code"
	eq "ct-timeout $*: message" "$err" "ct-timeout: $msg"
}

tcp_states="syn_sent, syn_recv, established, fin_wait, close_wait, last_ack, time_wait, close, syn_sent2, retrans, unacknowledged"
fails 1 'unknown protocol "foo" (use tcp, udp, udplite, icmp, icmpv6, sctp, dccp, gre, generic)' \
	add p inet foo established 1
fails 1 "unknown state \"estab\" for tcp (use $tcp_states)" add p inet tcp estab 1
fails 1 'unknown state "timeout" for udp (use unreplied, replied)' add p inet udp timeout 1
fails 1 'value "12x" for established is not a number of seconds' add p inet tcp established 12x
fails 1 'value "" for established is not a number of seconds' add p inet tcp established ""
fails 1 'value 2147484 for established is out of range (0-2147483 seconds)' add p inet tcp established 2147484
fails 1 'value 99999999999999999999999 for close is out of range (0-2147483 seconds)' add p inet tcp close 99999999999999999999999
fails 1 'value -1 for close is out of range (0-2147483 seconds)' add p inet tcp close -1
name32=abcdefghijklmnopqrstuvwxyz012345
fails 1 "policy name \"$name32\" is too long (32 characters, the kernel allows 31)" add "$name32" inet tcp close 1
fails 1 'unknown family "inet4" (use inet or inet6)' add p inet4 tcp close 1
fails 1 'protocol icmp does not exist in family inet6 (use inet)' add p inet6 icmp timeout 1
fails 1 'protocol icmpv6 does not exist in family inet (use inet6)' default-get inet icmpv6
fails 1 'state close has no value' add p inet tcp established 5 close
fails 1 'state established given twice' add p inet tcp established 5 ESTABLISHED 6
fails 1 'no STATE SECONDS given for tcp' add p inet tcp
fails 1 'policy name is empty' add "" inet tcp close 1
eq "nothing was added by the failed commands" "$(ctt srv list)" ""

ok "a name of 31 characters (the kernel limit)" ctt srv add "${name32%5}" inet tcp close 1
eq "it reads back whole" "$(ctt srv list | awk '{ print $1 }')" "${name32%5}"
ok "names are case-sensitive, protocols and states not" ctt srv add Mixed INET TCP Established 50 SYN_SENT 5
eq "case-insensitive state stored" "$(state_of srv Mixed established)" 50
fails 1 'policy Mixed already exists (use --replace to update it)' add Mixed inet tcp close 1
fails 1 'policy nosuch not found' get nosuch
fails 1 'policy nosuch not found' delete nosuch
fails 1 'policy mixed not found' delete mixed
ok "rule" ipt nft srv -t raw -A PREROUTING -p tcp -j CT --timeout Mixed
fails 1 'policy Mixed is in use by 1 rules; remove them first' delete Mixed
ipt nft srv -t raw -F

fails 2 'unknown command "remove" (use add, get, list, delete, default-set or default-get)' remove Mixed
fails 2 'unknown option "--frce"' delete --frce Mixed
fails 2 'option --force only goes with delete' add --force x inet tcp close 1
fails 2 'option --replace only goes with add' delete --replace Mixed
fails 2 'get: usage: get [NAME]' get a b
fails 2 'list: takes no arguments' list x
fails 2 'delete: usage: delete [--force] NAME' delete
fails 2 'default-get: usage: default-get inet|inet6 PROTO' default-get inet

log "kernel without cttimeout support"
ctt srv delete Mixed
ctt srv delete "${name32%5}"
nfext_cleanup
NFEXT_NETNS=()
netns srv
if ! rmmod nfnetlink_cttimeout 2>/dev/null && [ -d /sys/module/nfnetlink_cttimeout ]; then
	fail "cannot unload nfnetlink_cttimeout (policies left by another scenario?)"
else
	echo "install nfnetlink_cttimeout /bin/false" > /etc/modprobe.d/nfext-ctt-test.conf
	fails 1 'kernel without cttimeout support (nfnetlink_cttimeout is not available)' list
	fails 1 'kernel without cttimeout support (nfnetlink_cttimeout is not available)' add p inet tcp close 1
	fails 1 'kernel without cttimeout support (nfnetlink_cttimeout is not available)' default-get inet tcp
	rm -f /etc/modprobe.d/nfext-ctt-test.conf
	ok "module loads again" modprobe nfnetlink_cttimeout
	ok "and ct-timeout works again" ctt srv list
fi
finish
