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
 * packets as its maximum length allows or the listener's socket has no room
 * for the packet's message. A true answer is counted as fail-open accepts
 * (one per message the listener would have got) in the queue's statistics:
 * the caller must then accept the packet. On a
 * false answer the caller must queue @skb to @queuenum right away (return
 * NF_QUEUE): the handler then treats it as a fail-open packet, accepting
 * whatever part of it no longer fits.
 */
bool nfqnl_queue_full(struct net *net, u16 queuenum,
		      const struct sk_buff *skb);

#endif /* _NFQNL_FAILOPEN_H */
