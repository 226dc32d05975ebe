#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Fib expressions nft never builds (both saddr and daddr, unknown flag bits,
# bad results, bad destination registers, wrong hooks) are refused with
# EINVAL and a kernel message; what nft builds is accepted. And through
# nft itself: oif results in output, iif in postrouting are refused.
source ../lib/common.sh
source ./lib.sh
fib_assert_ours
CLIENT=$NFEXT_REPO/build/bin/fib-reject-test
[ -x "$CLIENT" ] || die "fib-reject-test is not built (run make)"
netns r
ok "every malformed fib expression is refused with EINVAL, controls accepted" \
	nsrun r "$CLIENT"
eq "no table left behind" "$(nsrun r nft list tables)" ""
log=$(dmesg | grep 'nft_fib: ')
contains "kernel names saddr+daddr" "$log" "saddr and daddr given"
contains "kernel names unknown flags" "$log" "unknown flag bits 0x100"
contains "kernel names unknown result" "$log" "unknown result 4"
contains "kernel names the register" "$log" "cannot hold the 16-byte result"
contains "kernel names the hook" "$log" "oif and oifname results need a received packet"

nsrun r nft add table ip t
nsrun r nft add chain ip t out '{ type filter hook output priority 0; }'
nsrun r nft add chain ip t post '{ type filter hook postrouting priority 0; }'
out=$(nsrun r nft add rule ip t out fib daddr oif missing drop 2>&1)
nok "nft: fib daddr oif in output refused" test $? -eq 0
contains "nft reports Invalid argument" "$out" "Invalid argument"
nok "nft: fib saddr . iif type in postrouting refused" \
	nsrun r nft add rule ip t post fib saddr . iif type local drop
ok "nft: fib daddr . oif type in output accepted" \
	nsrun r nft add rule ip t out fib daddr . oif type local accept
eq "only the accepted rule is there" \
	"$(nsrun r nft list chain ip t out | grep -c fib)" 1
finish
