/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A module's reference to the fail-open interface of nfext's
 * nfnetlink_queue (nfqnl_failopen.h), shared by the NFQUEUE target
 * (xt_NFQUEUE) and the nft queue expression (nft_queue).
 *
 * nfqnl_queue_full() is looked up with symbol_get() when the module's first
 * fail-open rule is made, which pins the queue handler module, and released
 * with the last one. Rules are destroyed once no CPU runs them any more, so
 * after the last fail-open rule nobody calls the function. Without nfext's
 * handler a fail-open rule is refused (-EOPNOTSUPP); rules without the flag
 * work with any handler.
 */
#ifndef _NFQ_FAILOPEN_REF_H
#define _NFQ_FAILOPEN_REF_H

#include <linux/kmod.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/printk.h>

#include "nfqnl_failopen.h"

typedef bool (*nfq_full_fn_t)(struct net *net, u16 queuenum,
			      const struct sk_buff *skb);

struct nfq_failopen_ref {
	struct mutex lock;
	unsigned int rules;	/* fail-open rules of this module */
	nfq_full_fn_t full;	/* set while rules > 0 */
};

#define DEFINE_NFQ_FAILOPEN_REF(name) \
	static struct nfq_failopen_ref name = { \
		.lock = __MUTEX_INITIALIZER(name.lock), \
	}

/* a fail-open rule is made: 0, or -EOPNOTSUPP without nfext's handler */
static inline int nfq_failopen_get(struct nfq_failopen_ref *ref)
{
	nfq_full_fn_t fn;
	int err = 0;

	mutex_lock(&ref->lock);
	if (!ref->rules) {
		fn = symbol_get(nfqnl_queue_full);
		if (!fn) {
			request_module("symbol:nfqnl_queue_full");
			fn = symbol_get(nfqnl_queue_full);
		}
		if (!fn) {
			pr_info_ratelimited("fail-open needs nfext's nfnetlink_queue module (the loaded queue handler lacks it)\n");
			err = -EOPNOTSUPP;
			goto out;
		}
		WRITE_ONCE(ref->full, fn);
	}
	ref->rules++;
out:
	mutex_unlock(&ref->lock);
	return err;
}

/* a fail-open rule is destroyed */
static inline void nfq_failopen_put(struct nfq_failopen_ref *ref)
{
	mutex_lock(&ref->lock);
	if (!--ref->rules) {
		WRITE_ONCE(ref->full, NULL);
		symbol_put(nfqnl_queue_full);
	}
	mutex_unlock(&ref->lock);
}

/*
 * Is @queuenum full for @skb? True means accept the packet now; false means
 * queue it to @queuenum right away (see nfqnl_queue_full()).
 */
static inline bool nfq_failopen_full(struct nfq_failopen_ref *ref,
				     struct net *net, u16 queuenum,
				     const struct sk_buff *skb)
{
	nfq_full_fn_t full = READ_ONCE(ref->full);

	return full && full(net, queuenum, skb);
}

#endif /* _NFQ_FAILOPEN_REF_H */
