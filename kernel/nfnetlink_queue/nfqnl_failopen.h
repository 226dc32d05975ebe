/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Interface of nfext's nfnetlink_queue offered to the NFQUEUE target for
 * per-rule fail-open (the target looks it up with symbol_get()).
 */
#ifndef _NFQNL_FAILOPEN_H
#define _NFQNL_FAILOPEN_H

#include <linux/skbuff.h>
#include <linux/types.h>
#include <net/net_namespace.h>

/*
 * nfqnl_queue_full - would queueing @skb to @queuenum overflow the queue?
 *
 * True when queue @queuenum of @net has a listener and either holds as many
 * packets as its maximum length allows (counting the segments @skb will be
 * split into when the listener does not take GSO packets) or the listener's
 * socket has no room left. A true answer is counted as a fail-open accept in
 * the queue's statistics: the caller must then accept the packet.
 */
bool nfqnl_queue_full(struct net *net, u16 queuenum,
		      const struct sk_buff *skb);

#endif /* _NFQNL_FAILOPEN_H */
