#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Unknown flag bits are refused, never ignored. iptables' plugin only sends
# the six flags it has options for, so xt-rawrule sends the flags byte as
# is, through iptables-legacy's socket options and through iptables-nft's
# nft_compat. Bits above 0x3f: the rule is refused with EINVAL, nothing
# changes and the kernel log names the bits. The known flags (0x0f, 0x3e, 0x01)
# go through the same tool and show up in iptables-save as the options;
# --feasible with --loose (0x11) is refused like an unknown bit.
. ../lib/common.sh
. ./lib.sh
TOOL=$NFEXT_REPO/build/bin/xt-rawrule
[ -x "$TOOL" ] || die "xt-rawrule is not built (run make)"
netns r

# The rules of r as a user would list them (without the date comments).
ruleset() {
	at r "${ipt}-save" 2>&1 | grep -v '^#'
	[ "$v" = nft ] && at r nft list ruleset 2>&1
}

# Mark the kernel log; klog_since TAG prints what came after the mark.
KLOG_N=0
klog_mark() {
	KLOG_N=$((KLOG_N + 1))
	KLOG_TAG="nfext-13-unknown-flags mark $KLOG_N"
	echo "$KLOG_TAG" > /dev/kmsg
}
klog_since() { dmesg | awk -v tag="$KLOG_TAG" 'seen; index($0, tag) { seen = 1 }'; }

first=1
for v in $IPTABLES_VARIANTS; do
	for f in 4 6; do
		ipt=$(rpf_ipt "$v" $f)
		# The match's messages are rate limited (10 per 5 s); each round
		# logs 4, so a pause keeps every one of them in the log.
		[ $first = 1 ] || sleep 5.5
		first=0
		rpf_flush
		# A rule that must survive (and, for nft, makes the raw table).
		at r "$ipt" -t raw -A PREROUTING -p udp --dport 9 -j DROP ||
			die "$ipt: cannot add the sentinel rule"
		for flags in 0x40 0x80 0xc0 0x7f; do
			what="$v: $ipt raw PREROUTING rpfilter flags $flags"
			bits=$(printf '0x%02x' $((flags & ~0x3f)))
			before=$(ruleset)
			klog_mark
			out=$(at r "$TOOL" "$v" "$f" raw PREROUTING rpfilter 0 "$flags" 2>&1)
			eq "$what: refused (exit status)" "$?" 1
			contains "$what: says Invalid argument" "$out" "Invalid argument"
			eq "$what: one line of error" "$(echo "$out" | wc -l)" 1
			after=$(ruleset)
			if [ "$after" = "$before" ]; then
				echo "ok: $what: rules unchanged"
			else
				fail "$what: rules changed, new lines: $(echo "$after" | grep -vxF -e "$before")"
			fi
			contains "$what: kernel log names bits $bits" "$(klog_since)" \
				"xt_rpfilter: unknown flag bits $bits (known: 0x3f)"
		done
		# Controls: the same tool, known flags only, is taken.
		ok "$v: $ipt: flags 0x0f accepted" \
			at r "$TOOL" "$v" "$f" raw PREROUTING rpfilter 0 0x0f
		ok "$v: $ipt: flags 0x3e accepted" \
			at r "$TOOL" "$v" "$f" raw PREROUTING rpfilter 0 0x3e
		klog_mark
		nok "$v: $ipt: flags 0x11 (--feasible --loose) refused" \
			at r "$TOOL" "$v" "$f" raw PREROUTING rpfilter 0 0x11
		contains "$v: $ipt: kernel log says --feasible excludes --loose" \
			"$(klog_since)" "xt_rpfilter: --feasible and --loose exclude each other"
		ok "$v: $ipt: flags 0x01 accepted" \
			at r "$TOOL" "$v" "$f" raw PREROUTING rpfilter 0 0x01
		rules=$(at r "${ipt}-save" -t raw | grep '^-A PREROUTING')
		eq "$v: $ipt-save shows the sentinel and the two rules" "$rules" \
"-A PREROUTING -p udp -m udp --dport 9 -j DROP
-A PREROUTING -m rpfilter --loose --validmark --accept-local --invert -j ACCEPT
-A PREROUTING -m rpfilter --validmark --accept-local --invert --feasible --no-default -j ACCEPT
-A PREROUTING -m rpfilter --loose -j ACCEPT"
	done
done
rpf_flush
rpf_assert_modules
finish
