#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The iptables plugin: nfext's libxt_rpfilter.so is the one loaded (from
# XTABLES_LIBDIR), rules print and save back to what was typed, save and
# restore round-trip, bad options fail with iptables' one-line error and
# exit status 2, and iptables-translate gives nft's fib expression.
. ../lib/common.sh
. ./lib.sh
netns r
help=$(iptables -m rpfilter --help 2>&1)
contains "--help comes from nfext's plugin" "$help" "rpfilter match options (nfext"
for o in --loose --validmark --accept-local --invert; do
	contains "--help lists $o" "$help" "    $o "
done
OPTS=("" "--loose" "--validmark" "--accept-local" "--invert"
	"--loose --validmark --accept-local --invert")
for v in $IPTABLES_VARIANTS; do
	for f in 4 6; do
		ipt=$(rpf_ipt "$v" $f)
		rpf_flush
		for o in "${OPTS[@]}"; do
			# shellcheck disable=SC2086
			at r "$ipt" -t raw -A PREROUTING -m rpfilter $o
			# shellcheck disable=SC2086
			at r "$ipt" -t mangle -A PREROUTING -i eth9 -m rpfilter $o -j MARK --set-mark 7
		done
		want=$(for o in "${OPTS[@]}"; do echo "-A PREROUTING -m rpfilter${o:+ $o}"; done)
		eq "$ipt: raw rules save as typed" "$(at r "$ipt" -t raw -S PREROUTING 2>/dev/null | grep rpfilter)" "$want"
		# options in another order save in the canonical one
		at r "$ipt" -t raw -A PREROUTING -m rpfilter --invert --loose
		eq "$ipt: '--invert --loose' saves as '--loose --invert'" \
			"$(at r "$ipt" -t raw -S PREROUTING 2>/dev/null | tail -n1)" "-A PREROUTING -m rpfilter --loose --invert"
		contains "$ipt -L shows the flags" "$(at r "$ipt" -t raw -L PREROUTING -n 2>/dev/null)" "rpfilter loose validmark accept-local invert"
		saved=$(at r "${ipt}-save" 2>/dev/null | grep -v '^#')
		rpf_flush
		ok "$ipt-restore takes the saved rules back" at r "${ipt}-restore" <<<"$saved"
		eq "$ipt: save -> restore -> save is identical" "$(at r "${ipt}-save" 2>/dev/null | grep -v '^#')" "$saved"
		n=$(at r "$ipt" -t raw -S PREROUTING 2>/dev/null | wc -l)
		for bad in "--bogus" "--loose --loose" "--loose yes" "! --loose" "--invert=1"; do
			# shellcheck disable=SC2086
			out=$(at r "$ipt" -t raw -A PREROUTING -m rpfilter $bad 2>&1)
			rc=$?
			eq "$ipt -m rpfilter $bad: exit status" "$rc" 2
			case $bad in
			--bogus|--invert=1) want="unknown option \"${bad}\"" ;;
			"--loose --loose") want='rpfilter: option "--loose" can only be used once' ;;
			"--loose yes") want="Bad argument \`yes'" ;;
			"! --loose") want='rpfilter: option "--loose" cannot be inverted' ;;
			esac
			contains "$ipt -m rpfilter $bad: error text" "$(echo "$out" | head -n1)" "$want"
		done
		eq "$ipt: no bad rule was added" "$(at r "$ipt" -t raw -S PREROUTING 2>/dev/null | wc -l)" "$n"
	done
done
x() { iptables-translate -t raw -A PREROUTING -m rpfilter "$@" 2>&1; }
x6() { ip6tables-translate -t raw -A PREROUTING -m rpfilter "$@" 2>&1; }
eq "translate strict" "$(x)" "nft 'add rule ip raw PREROUTING fib saddr . iif oif != 0 counter'"
eq "translate --loose --validmark" "$(x --loose --validmark)" "nft 'add rule ip raw PREROUTING fib saddr . mark oif != 0 counter'"
eq "translate IPv6 --invert" "$(x6 --invert)" "nft 'add rule ip6 raw PREROUTING fib saddr . iif oif 0 counter'"
eq "translate --accept-local --invert" "$(x --accept-local --invert)" \
	"nft 'add rule ip raw PREROUTING fib saddr type != local fib saddr . iif oif 0 counter'"
contains "--accept-local alone cannot be one nft match: left as a comment" "$(x --accept-local)" "nft # -t raw -A PREROUTING -m rpfilter --accept-local"
rpf_assert_modules
finish
