#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The match only works in PREROUTING of raw and mangle. Anywhere else the
# kernel refuses the rule (the command fails, nothing is added) and logs
# why; a user chain reached from OUTPUT is refused as well.
. ../lib/common.sh
. ./lib.sh
netns r
# try WHAT EXPECTED-LOG CMD...: CMD must fail, leave the rules unchanged and
# the kernel log must explain it.
try() {
	local what=$1 log=$2 before after out
	shift 2
	before=$(at r "${ipt}-save" 2>/dev/null | grep -E '^-[AN] ')
	dmesg -C
	if out=$(at r "$@" 2>&1); then
		fail "$what: accepted"
	else
		echo "ok: $what: refused ($(echo "$out" | head -n1))"
	fi
	after=$(at r "${ipt}-save" 2>/dev/null | grep -E '^-[AN] ')
	eq "$what: rules unchanged" "$after" "$before"
	[ -n "$log" ] && contains "$what: kernel log says why" "$(dmesg)" "$log"
}
for v in $IPTABLES_VARIANTS; do
	for f in 4 6; do
		ipt=$(rpf_ipt "$v" $f)
		rpf_flush
		try "$v: $ipt -t mangle -A OUTPUT -m rpfilter" \
			"rpfilter match: used from hooks OUTPUT, but only valid from PREROUTING" \
			"$ipt" -t mangle -A OUTPUT -m rpfilter
		try "$v: $ipt -t filter -A INPUT -m rpfilter" \
			"rpfilter match: used from hooks INPUT, but only valid from PREROUTING" \
			"$ipt" -t filter -A INPUT -m rpfilter
		try "$v: $ipt -t nat -A PREROUTING -m rpfilter" \
			"xt_rpfilter: only valid in PREROUTING of the raw or mangle table, not in table nat" \
			"$ipt" -t nat -A PREROUTING -m rpfilter
		ok "$v: $ipt -t mangle -A PREROUTING -m rpfilter is accepted" at r "$ipt" -t mangle -A PREROUTING -m rpfilter
		ok "$v: $ipt -t raw -A PREROUTING -m rpfilter is accepted" at r "$ipt" -t raw -A PREROUTING -m rpfilter
		at r "$ipt" -t mangle -N RPF
		at r "$ipt" -t mangle -A RPF -m rpfilter
		log=
		[ $v = legacy ] && log="rpfilter match: used from hooks OUTPUT, but only valid from PREROUTING"
		try "$v: jump from mangle OUTPUT to a chain using rpfilter" "$log" \
			"$ipt" -t mangle -A OUTPUT -j RPF
	done
done
rpf_assert_modules
finish
