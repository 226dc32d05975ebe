# SPDX-License-Identifier: GPL-2.0
# The save/restore round trip shared by 90-save-restore.sh (nfext's xt_CT)
# and 95-intree-xt_CT.sh (Linux 6.1's): sourced after lib.sh with XT_CT set
# to nfext or intree.

[ -f "$NFEXT_REPO/build/xtables/libxt_CT.so" ] || die "nfext's libxt_CT.so is not built (make)"
topo
name31=a_policy_name_of_31_characters_
ctt srv add p1 inet icmp timeout 20 || die "add p1"
ctt srv add abcd inet tcp established 40 || die "add abcd"
ctt srv add web_t inet tcp established 100 || die "add web_t"
ctt srv add web_x inet tcp established 101 || die "add web_x"
ctt srv add dns_p inet udp unreplied 60 || die "add dns_p"
ctt srv add ftp_long_policy inet tcp established 200 || die "add ftp_long_policy"
ctt srv add "$name31" inet tcp established 300 || die "add name31"
ctt srv add sctp_pol inet sctp established 50 || die "add sctp_pol"
ctt srv add gre_pol inet gre replied 50 || die "add gre_pol"
ctt srv add gen_pol inet generic timeout 50 || die "add gen_pol"
ctt srv add web6_pol inet6 tcp established 60 || die "add web6_pol"
ctt srv add ping6_pol inet6 icmpv6 timeout 10 || die "add ping6_pol"
modprobe nf_conntrack_ftp 2>/dev/null

rules4=(
	"-A PREROUTING -p tcp -m tcp --dport 7777 -j CT --timeout web_t"
	"-A PREROUTING -p icmp -j CT --timeout p1"
	"-A PREROUTING -p tcp -m tcp --dport 7000 -j CT --timeout abcd"
	"-A PREROUTING -p udp -j CT --timeout dns_p --zone 5"
	"-A PREROUTING -p tcp -m tcp --dport 21 -j CT --helper ftp --timeout ftp_long_policy"
	"-A PREROUTING -p tcp -m tcp --dport 82 -j CT --timeout $name31 --ctevents new,destroy"
	"-A PREROUTING -p sctp -j CT --timeout sctp_pol"
	"-A PREROUTING -p gre -j CT --timeout gre_pol"
	"-A PREROUTING -p 13 -j CT --timeout gen_pol"
	"-A OUTPUT -p tcp -m tcp --sport 7777 -j CT --timeout web_t"
)
rules6=(
	"-A PREROUTING -p tcp -m tcp --dport 7777 -j CT --timeout web6_pol"
	"-A PREROUTING -p ipv6-icmp -j CT --timeout ping6_pol"
)

# quiet CMD...: CMD's stderr without iptables-nft's notes about legacy
# tables (this scenario has both kinds) into $err.
quiet() {
	run_err err "$@"
	err=$(grep -v '^# Warning: ip6\?tables-legacy tables present' <<<"$err")
}

# rules_of TEXT: the -A lines of a save output.
rules_of() { grep -- '^-A ' <<<"$1"; }
joined() { printf '%s\n' "$@"; }

for v in $IPTABLES_VARIANTS; do
	for fam in 4 6; do
		if [ $fam = 4 ]; then cmd=iptables; want=$(joined "${rules4[@]}")
		else cmd=ip6tables; want=$(joined "${rules6[@]}"); fi
		tag="$v ipv$fam"
		log "$tag"
		nsx srv "$cmd-$v" -t raw -F
		if [ $v = nft ] || [ "$XT_CT" = nfext ]; then
			# nft adds rule by rule; legacy re-submits its whole table
			# on each -A, which in-tree 6.1 xt_CT refuses after a name
			# it cut short
			while read -r r; do
				ok "$tag: $r" nsx srv "$cmd-$v" -t raw ${r}
			done <<<"$want"
		else
			mapfile -t rs <<<"$want"
			ok "$tag: table restored" raw_table "$v" srv "$cmd" "${rs[@]}"
		fi
		quiet nsx srv "$cmd-$v-save" -t raw
		eq "$tag: save has no complaint" "$err" ""
		s1=$(nsx srv "$cmd-$v-save" -t raw)
		eq "$tag: save lists every rule as given" "$(rules_of "$s1")" "$want"
		eq "$tag: -S agrees" "$(nsx srv "$cmd-$v" -t raw -S | grep -- '^-A ')" "$want"
		ok "$tag: flush" nsx srv "$cmd-$v" -t raw -F
		ok "$tag: the saved output restores" sh -c "ip netns exec srv $cmd-$v-restore <<'X'
$s1
X"
		s2=$(nsx srv "$cmd-$v-save" -t raw)
		eq "$tag: and saves the same again" "$(rules_of "$s2")" "$(rules_of "$s1")"
		first=$(head -n1 <<<"$want" | sed 's/^-A /-C /')
		ok "$tag: -C finds ${first#-C }" nsx srv "$cmd-$v" -t raw ${first}
		nsx srv "$cmd-$v" -t raw -F
	done
done

