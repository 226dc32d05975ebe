#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The demo firewall's fail-open rules in nft syntax (examples/firewall.sh,
# WITH_NFQUEUE=nft): applied on the router with the patched nft, listed
# back, and a 1 MiB transfer to port 5201 through a queue whose listener
# needs 50 ms a packet (length 16) completes intact with fail-open accepts.
cd "$(dirname "$0")" && source ../lib/common.sh && source ./lib.sh
need_bins
assert_ours nfnetlink_queue nft_queue
topo
make_file 1
ok "examples/firewall.sh WITH_NFQUEUE=nft" nsrun rtr env LAN=eth0 WAN_A=eth1 WAN_B=eth1 \
	WITH_NFQUEUE=nft NFT="$NFT" PATH="$NFQ_BIN:$PATH" "$NFEXT_REPO/examples/firewall.sh"
rules=$(nft_in rtr list chain inet nfext_demo forward)
contains "forward rule for dport 5201" "$rules" "tcp dport 5201 counter packets 0 bytes 0 queue flags fail-open to 0"
contains "forward rule for sport 5201" "$rules" "tcp sport 5201 counter packets 0 bytes 0 queue flags fail-open to 0"
listener rtr slow -q 0 -l 16 -d 50 -F
ok "1 MiB to port 5201 arrives intact" transfer 60 5201
log "1 MiB in ${XFER_MS} ms"
ge "fail-open accepts counted" "$(nfq_proc rtr 0 10)" 1
eq "no queue-full drops" "$(dropped_pkts rtr 0)" 0
stop slow "$LPID"
finish
