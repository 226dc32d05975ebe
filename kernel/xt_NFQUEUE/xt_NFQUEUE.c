// SPDX-License-Identifier: GPL-2.0
/*
 * nfext NFQUEUE target: hand packets to a netfilter queue listener.
 *
 * Revisions 0-3 behave as the in-tree target; revision 3 also takes
 * NFQ_FLAG_FAIL_OPEN: a packet whose queue is full is accepted instead of
 * dropped. Packets of rules without the flag are never accepted because of
 * a full queue.
 *
 * How: the queue handler (nfext's nfnetlink_queue) exports
 * nfqnl_queue_full(). For a fail-open rule the target asks it, once the
 * queue is chosen (number, balance hash or CPU fan-out), and returns
 * NF_ACCEPT when the queue is full (no room for another entry, or the
 * listener's socket would refuse the message), NF_QUEUE otherwise. On a
 * "not full" the handler remembers the packet, so when it reaches the queue
 * the parts that no longer fit (segments of a GSO packet the listener takes
 * one by one, or a queue other CPUs filled meanwhile) are accepted as well.
 * Fail-open accepts are counted in the tenth field of
 * /proc/net/netfilter/nfnetlink_queue.
 *
 * The function is looked up with symbol_get() while at least one fail-open
 * rule exists, which pins the handler module (nfq_failopen_ref.h, shared
 * with nft_queue); without nfext's handler a fail-open rule is refused,
 * rules without the flag work with any handler.
 * Bypass keeps its meaning: no listener, the packet is accepted.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/skbuff.h>
#include <linux/smp.h>
#include <linux/netfilter.h>
#include <linux/netfilter/x_tables.h>
#include <net/netfilter/nf_queue.h>

#include "xt_NFQUEUE.h"
#include "nfq_failopen_ref.h"

static u32 nfq_hash_seed __read_mostly;
DEFINE_NFQ_FAILOPEN_REF(nfq_failopen);

static unsigned int nfqueue_tg_v0(struct sk_buff *skb,
				  const struct xt_action_param *par)
{
	const struct xt_NFQ_info *info = par->targinfo;

	return NF_QUEUE_NR(info->queuenum);
}

static u32 nfqueue_balance(struct sk_buff *skb,
			   const struct xt_action_param *par,
			   u16 first, u16 total)
{
	if (total <= 1)
		return first;
	return nfqueue_hash(skb, first, total, xt_family(par), nfq_hash_seed);
}

static unsigned int nfqueue_tg_v1(struct sk_buff *skb,
				  const struct xt_action_param *par)
{
	const struct xt_NFQ_info_v1 *info = par->targinfo;

	return NF_QUEUE_NR(nfqueue_balance(skb, par, info->queuenum,
					   info->queues_total));
}

static unsigned int nfqueue_tg_v2(struct sk_buff *skb,
				  const struct xt_action_param *par)
{
	const struct xt_NFQ_info_v2 *info = par->targinfo;
	unsigned int verdict;

	verdict = NF_QUEUE_NR(nfqueue_balance(skb, par, info->queuenum,
					      info->queues_total));
	if (info->bypass)
		verdict |= NF_VERDICT_FLAG_QUEUE_BYPASS;
	return verdict;
}

/* The verdict of a revision 3 rule for queue @queue. */
static unsigned int nfqueue_v3_verdict(const struct xt_NFQ_info_v3 *info,
				       u32 queue)
{
	unsigned int verdict = NF_QUEUE_NR(queue);

	if (info->flags & NFQ_FLAG_BYPASS)
		verdict |= NF_VERDICT_FLAG_QUEUE_BYPASS;
	return verdict;
}

/* A revision 3 rule over several queues, or with fail-open. */
static noinline unsigned int nfqueue_tg_v3_slow(struct sk_buff *skb,
						const struct xt_action_param *par)
{
	const struct xt_NFQ_info_v3 *info = par->targinfo;
	u32 queue;

	if (info->queues_total > 1 && (info->flags & NFQ_FLAG_CPU_FANOUT))
		queue = info->queuenum +
			raw_smp_processor_id() % info->queues_total;
	else
		queue = nfqueue_balance(skb, par, info->queuenum,
					info->queues_total);

	if ((info->flags & NFQ_FLAG_FAIL_OPEN) &&
	    nfq_failopen_full(&nfq_failopen, xt_net(par), queue, skb))
		return NF_ACCEPT;
	return nfqueue_v3_verdict(info, queue);
}

/*
 * One queue and no fail-open, the usual rule, costs what it does in-tree:
 * the rest is out of line, so this path saves no registers.
 */
static unsigned int nfqueue_tg_v3(struct sk_buff *skb,
				  const struct xt_action_param *par)
{
	const struct xt_NFQ_info_v3 *info = par->targinfo;

	if (unlikely(info->queues_total > 1 ||
		     (info->flags & NFQ_FLAG_FAIL_OPEN)))
		return nfqueue_tg_v3_slow(skb, par);
	return nfqueue_v3_verdict(info, info->queuenum);
}

/* queuenum and queues_total sit at the same place in revisions 1-3 */
static int nfqueue_check_range(const struct xt_NFQ_info_v1 *info)
{
	u32 last;

	init_hashrandom(&nfq_hash_seed);

	if (!info->queues_total) {
		pr_info_ratelimited("number of total queues is 0\n");
		return -EINVAL;
	}
	last = (u32)info->queuenum + info->queues_total - 1;
	if (last > 0xffff) {
		pr_info_ratelimited("number of queues (%u) out of range (got %u)\n",
				    info->queues_total, last);
		return -ERANGE;
	}
	return 0;
}

static int nfqueue_tg_check_v1(const struct xt_tgchk_param *par)
{
	return nfqueue_check_range(par->targinfo);
}

static int nfqueue_tg_check_v2(const struct xt_tgchk_param *par)
{
	const struct xt_NFQ_info_v2 *info = par->targinfo;

	if (info->bypass > 1) {
		pr_info_ratelimited("invalid bypass value %u\n", info->bypass);
		return -EINVAL;
	}
	return nfqueue_check_range(par->targinfo);
}

static int nfqueue_tg_check_v3(const struct xt_tgchk_param *par)
{
	const struct xt_NFQ_info_v3 *info = par->targinfo;
	int err;

	if (info->flags & ~NFQ_FLAG_MASK) {
		pr_info_ratelimited("unknown flags 0x%x\n",
				    info->flags & ~NFQ_FLAG_MASK);
		return -EINVAL;
	}
	err = nfqueue_check_range(par->targinfo);
	if (err)
		return err;
	if (info->flags & NFQ_FLAG_FAIL_OPEN)
		return nfq_failopen_get(&nfq_failopen);
	return 0;
}

static void nfqueue_tg_destroy_v3(const struct xt_tgdtor_param *par)
{
	const struct xt_NFQ_info_v3 *info = par->targinfo;

	if (info->flags & NFQ_FLAG_FAIL_OPEN)
		nfq_failopen_put(&nfq_failopen);
}

static struct xt_target nfqueue_tg_reg[] __read_mostly = {
	{
		.name		= "NFQUEUE",
		.revision	= 0,
		.family		= NFPROTO_UNSPEC,
		.target		= nfqueue_tg_v0,
		.targetsize	= sizeof(struct xt_NFQ_info),
		.me		= THIS_MODULE,
	},
	{
		.name		= "NFQUEUE",
		.revision	= 1,
		.family		= NFPROTO_UNSPEC,
		.checkentry	= nfqueue_tg_check_v1,
		.target		= nfqueue_tg_v1,
		.targetsize	= sizeof(struct xt_NFQ_info_v1),
		.me		= THIS_MODULE,
	},
	{
		.name		= "NFQUEUE",
		.revision	= 2,
		.family		= NFPROTO_UNSPEC,
		.checkentry	= nfqueue_tg_check_v2,
		.target		= nfqueue_tg_v2,
		.targetsize	= sizeof(struct xt_NFQ_info_v2),
		.me		= THIS_MODULE,
	},
	{
		.name		= "NFQUEUE",
		.revision	= 3,
		.family		= NFPROTO_UNSPEC,
		.checkentry	= nfqueue_tg_check_v3,
		.destroy	= nfqueue_tg_destroy_v3,
		.target		= nfqueue_tg_v3,
		.targetsize	= sizeof(struct xt_NFQ_info_v3),
		.me		= THIS_MODULE,
	},
};

static int __init nfqueue_tg_init(void)
{
	return xt_register_targets(nfqueue_tg_reg, ARRAY_SIZE(nfqueue_tg_reg));
}

static void __exit nfqueue_tg_exit(void)
{
	xt_unregister_targets(nfqueue_tg_reg, ARRAY_SIZE(nfqueue_tg_reg));
}

module_init(nfqueue_tg_init);
module_exit(nfqueue_tg_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("nfext: Xtables NFQUEUE target with per-rule fail-open");
MODULE_VERSION("0.1");
MODULE_ALIAS("ipt_NFQUEUE");
MODULE_ALIAS("ip6t_NFQUEUE");
MODULE_ALIAS("arpt_NFQUEUE");
