/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * rpfilter match: the layout shared by nfext's kernel module and its
 * iptables plugin. It is binary-compatible with the stock
 * <linux/netfilter/xt_rpfilter.h>, so Debian's own iptables works too;
 * the two flags after 0x08 are nfext's own.
 */
#ifndef _NFEXT_XT_RPFILTER_H
#define _NFEXT_XT_RPFILTER_H

#include <linux/types.h>

enum {
	XT_RPFILTER_LOOSE		= 1 << 0, /* any route back will do */
	XT_RPFILTER_VALID_MARK		= 1 << 1, /* the mark joins the lookup */
	XT_RPFILTER_ACCEPT_LOCAL	= 1 << 2, /* a local source passes */
	XT_RPFILTER_INVERT		= 1 << 3, /* match failures instead */
	/* nfext only (a stock kernel refuses them as unknown bits): */
	XT_RPFILTER_FEASIBLE		= 1 << 4, /* any route of the best
						   * prefix may lead back
						   */
	XT_RPFILTER_NO_DEFAULT		= 1 << 5, /* a default route is none */
};

#define XT_RPFILTER_ALL_FLAGS (XT_RPFILTER_LOOSE | XT_RPFILTER_VALID_MARK | \
			       XT_RPFILTER_ACCEPT_LOCAL | XT_RPFILTER_INVERT | \
			       XT_RPFILTER_FEASIBLE | XT_RPFILTER_NO_DEFAULT)

struct xt_rpfilter_info {
	__u8 flags;
};

#endif /* _NFEXT_XT_RPFILTER_H */
