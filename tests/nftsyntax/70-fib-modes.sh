#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The reverse-path modes through native nft fib rules give the packet
# verdicts of the iptables rules: on the rpfilter scenarios' multihomed
# router (tests/rpfilter/lib.sh, urpf_topology), for each mode and family,
# echo requests from the customer prefix (10.50/16: via a metric 10, via b
# metric 20), a prefix covered through a only (10.60/16) and an address
# covered only by the default routes (10.70.0.5: via b, then c) are checked
# once with `iptables-legacy -m rpfilter OPTS` and once with the patched
# nft's `fib saddr . iif . feasible ...` spelling (nft-fib-rule.sh); the
# verdicts must be the same, and the modes must differ where they should.
cd "$(dirname "$0")" && source ../lib/common.sh && source ./lib.sh &&
	source ../rpfilter/lib.sh
assert_ours nft_fib nft_fib_inet xt_rpfilter
export NFT
RPF_NFT_TOOL=$PWD/nft-fib-rule.sh
urpf_topology

CASES="a:50 b:50 c:50 b:60 b:70 c:70"

# verdicts: "P" or "F" per case of $CASES with the rules in place.
verdicts() {
	local f=$1 c h n p0 p out=
	for c in $CASES; do
		h=${c%%:*} n=${c#*:}
		read -r p0 _ <<<"$(rpf_counters)"
		rpf_ping "$h" "$(addr "$f" "$n")" "$(raddr "$f" "$h")"
		read -r p _ <<<"$(rpf_counters)"
		if [ $((p - p0)) -eq "$RPF_N" ]; then out="$out P"; else out="$out F"; fi
	done
	echo "${out# }"
}

# IPv4: every mode; IPv6: feasible (the guest is slow, keep this short)
for f in 4 6; do
	modes="strict feasible loose-nd feasible-nd"
	[ "$f" = 6 ] && modes=feasible
	for mode in $modes; do
		rpf_rules legacy "$f" $(urpf_opts "$mode")
		ipt=$(verdicts "$f")
		read -r keys want _ <<<"$(urpf_keys "$mode")"
		rpf_nft_rules "$f" "$keys" "$want"
		contains "IPv$f $mode: nft lists fib $keys" "$(at r "$NFT" list chain inet urpf rpf)" \
			"fib ${keys//./ . } oif exists goto pass"
		eq "IPv$f $mode: nft verdicts ($CASES) = iptables' ($ipt)" "$(verdicts "$f")" "$ipt"
		eval "v_${f}_${mode//-/_}=\"$ipt\""
	done
	[ "$f" = 4 ] || continue
	# the modes differ: 10.50 from b passes feasible, not strict; 10.70
	# (default route only) passes loose only without no-default
	s=v_${f}_strict fe=v_${f}_feasible lnd=v_${f}_loose_nd
	eq "IPv$f: strict refuses 10.50 from b" "$(echo "${!s}" | cut -d' ' -f2)" F
	eq "IPv$f: feasible passes 10.50 from b" "$(echo "${!fe}" | cut -d' ' -f2)" P
	eq "IPv$f: feasible refuses 10.50 from c" "$(echo "${!fe}" | cut -d' ' -f3)" F
	eq "IPv$f: loose no-default refuses 10.70" "$(echo "${!lnd}" | cut -d' ' -f5)" F
done
rpf_flush
finish
