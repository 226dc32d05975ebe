#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# libnftnl needs no change for the fail-open flag: a test-only client
# (nftnl-queue.c) built against Debian's libnftnl reads back the flags of
# a rule nft made, makes one itself that nft lists as fail-open, and gets
# the kernel's refusal (EINVAL, a kernel log line, nothing added) for an
# unknown flag bit.
cd "$(dirname "$0")" && source ../lib/common.sh && source ./lib.sh
assert_ours nft_queue
cli=$NFQ_TMP/nftnl-queue
gcc -O2 -Wall -Wextra -Werror -std=gnu11 -o "$cli" nftnl-queue.c \
	$(pkg-config --cflags --libs libnftnl libmnl) || die "cannot build nftnl-queue.c"
netns r
nft_in r add table inet t
nft_in r add chain inet t c '{ type filter hook forward priority 0; }'

ok "nft: queue flags bypass,fail-open to 3" nft_in r add rule inet t c queue flags bypass,fail-open to 3
eq "libnftnl reads the flags back" "$(nsrun r "$cli" dump t c)" "num 3 flags 0x5"
eq "libnftnl: queue 7 with flags 0x4" "$(nsrun r "$cli" add t c 7 4)" ok
contains "nft lists it as fail-open" "$(nft_in r list chain inet t c)" "queue flags fail-open to 7"
dmesg -C
eq "libnftnl: flags 0x8 refused" "$(nsrun r "$cli" add t c 8 8)" "error: Invalid argument"
contains "the kernel says why" "$(dmesg)" "nft_queue: unknown flags 0x8"
eq "libnftnl: flags 0xc refused" "$(nsrun r "$cli" add t c 8 12)" "error: Invalid argument"
eq "nothing added" "$(nsrun r "$cli" dump t c | wc -l)" 2
finish
