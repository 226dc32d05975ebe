/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * nfext's fib expression flags beyond <linux/netfilter/nf_tables.h>
 * (enum nft_fib_flags ends with NFTA_FIB_F_PRESENT = 1 << 5). Shared, as a
 * uapi header, by the kernel (kernel/nft_fib, which refuses every other
 * unknown bit) and userspace (the libnftnl test client, iptables-translate's
 * spelling in nft). It lives in kernel/include/, beside the reverse-path
 * core the flags select, because everything under kernel/ is what dkms and
 * the packages ship to build the modules.
 *
 * nft spells them among the keys: fib saddr . iif . feasible oif missing
 */
#ifndef _NFEXT_NFT_FIB_H
#define _NFEXT_NFT_FIB_H

/* any route of the most specific prefix covering the address, whatever
 * its metric, may lead through the device (needs iif); RFC 3704 feasible
 * path
 */
#define NFTA_FIB_F_FEASIBLE	(1 << 6)
/* a route of prefix length 0 (a default route) is no route */
#define NFTA_FIB_F_NODEFAULT	(1 << 7)

#endif /* _NFEXT_NFT_FIB_H */
