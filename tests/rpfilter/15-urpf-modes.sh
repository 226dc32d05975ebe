#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The four uRPF modes (strict, feasible, loose, each with or without
# --no-default) on the multihomed router of urpf_topology (lib.sh), IPv4
# and IPv6, through iptables-legacy and nft fib (nfext's fib flags, added
# with tests/tools/nft-fib-rule). 17- runs iptables-nft.
# The six modes count side by side; each packet must move exactly the
# expected ones (urpf_modes).
. ../lib/common.sh
. ./lib.sh
RPF_N=1
urpf_topology
urpf_modes legacy nftfib
urpf_finish
