#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The new modes with --validmark, --accept-local and --invert on the
# multihomed router of urpf_topology (lib.sh), IPv4 and IPv6, with
# iptables-legacy and nft fib (iptables-nft runs the same match as legacy:
# 15- covers it); every packet is marked 1 (mark 1: 10.50.0.0/16 via c,
# then via b). c also claims r's own 10.1.0.1 / fd01::1.
. ../lib/common.sh
. ./lib.sh
RPF_N=1
urpf_topology
MODES="feasible+validmark feasible strict-nd+validmark feasible-nd feasible-nd+accept-local loose-nd+accept-local feasible+invert loose-nd+invert feasible-nd+validmark+accept-local+invert"
EXPECT="a 50 F P F P P P F F P - the mark table has no route via a
b 50 P P F P P P F F F - the mark table's second route is via b
c 50 P F P F F P P F F - the mark table's best route is via c
c 10.1.0.1 F F F F P P P P F - r's own address
c fd01::1 F F F F P P P P F - r's own address
c 70 P P F F F F F P P - only the defaults cover it"
for fe in legacy nftfib; do
	for f in 4 6; do
		URPF_MARK=1 urpf_matrix "$fe" $f "$MODES" "$EXPECT"
	done
done
urpf_finish
