/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * NFQUEUE target: binary layout shared by the kernel module and the
 * iptables extension. Revisions 0-3 keep the layouts of the in-tree target;
 * revision 3 gains NFQ_FLAG_FAIL_OPEN. The include guard is the in-tree
 * header's, so this file stands in for it.
 */
#ifndef _XT_NFQ_TARGET_H
#define _XT_NFQ_TARGET_H

#include <linux/types.h>

/* revision 0 */
struct xt_NFQ_info {
	__u16 queuenum;
};

/* revision 1: spread over queues_total queues from queuenum on */
struct xt_NFQ_info_v1 {
	__u16 queuenum;
	__u16 queues_total;
};

/* revision 2: bypass (accept) when no listener is bound */
struct xt_NFQ_info_v2 {
	__u16 queuenum;
	__u16 queues_total;
	__u16 bypass;
};

/* revision 3 */
struct xt_NFQ_info_v3 {
	__u16 queuenum;
	__u16 queues_total;
	__u16 flags;
#define NFQ_FLAG_BYPASS		0x01 /* no listener: accept (v2's bypass) */
#define NFQ_FLAG_CPU_FANOUT	0x02 /* pick the queue by CPU, not by hash */
#define NFQ_FLAG_FAIL_OPEN	0x04 /* queue full: accept (nfext) */
#define NFQ_FLAG_MASK		0x07
};

#endif /* _XT_NFQ_TARGET_H */
