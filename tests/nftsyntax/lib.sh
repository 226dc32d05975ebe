# SPDX-License-Identifier: GPL-2.0
#
# Helpers of the nftsyntax scenarios (sourced after ../lib/common.sh): the
# nfqueue scenarios' topology and listener helpers, and the patched nft
# (build/nftables/out/nft, nftables-patches/) as $NFT; Debian's as
# $STOCK_NFT.
source ../nfqueue/lib.sh

NFT=$NFEXT_REPO/build/nftables/out/nft
STOCK_NFT=/usr/sbin/nft
# nftables-patches/build.sh builds it only from Debian's own nftables
# source package; where the archive cannot hand that out, it says so at
# build time and these scenarios skip with the same reason.
[ -x "$NFT" ] || skip "the patched nft is not built: Debian's nftables source package could not be fetched whole (see make's nftables-patches line)"

# nft NS ARGS...: the patched nft in NS.
nft_in() { local ns=$1; shift; nsrun "$ns" "$NFT" "$@"; }

# nft_rule_pkts NS FAMILY TABLE CHAIN COMMENT: packets counted by the rule
# of CHAIN carrying comment COMMENT.
nft_rule_pkts() {
	nft_in "$1" list chain "$2" "$3" "$4" |
		sed -n "s/.*counter packets \([0-9]*\) bytes.*comment \"$5\".*/\1/p"
}
