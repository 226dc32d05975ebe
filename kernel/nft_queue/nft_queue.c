// SPDX-License-Identifier: GPL-2.0
/*
 * nfext nft "queue" expression: hand packets to a netfilter queue listener.
 *
 * Replaces the in-tree net/netfilter/nft_queue.c of Linux 6.1 under the
 * same module name, with the same attributes and behaviour for every rule
 * the in-tree module accepts: a queue number or range (NFTA_QUEUE_NUM,
 * NFTA_QUEUE_TOTAL; hashed, or by CPU with the fanout flag), or a queue
 * number from a register (NFTA_QUEUE_SREG_QNUM: "queue to" maps, numgen,
 * hash), the bypass flag, the same hooks and families.
 *
 * What differs: NFTA_QUEUE_FLAGS also takes NFT_QUEUE_FLAG_FAIL_OPEN (0x04),
 * with the semantics of xt_NFQUEUE's --fail-open: once the queue is chosen,
 * nfext's nfnetlink_queue is asked whether it is full (nfqnl_queue_full(),
 * reached through nfq_failopen_ref.h like the target does); a full queue
 * means NF_ACCEPT, otherwise the packet is queued and the handler accepts
 * whatever part of it no longer fits. Rules without the flag are never
 * accepted because of a full queue. A fail-open rule is refused when the
 * loaded queue handler lacks the interface. Unknown flags are refused with
 * -EINVAL and a rate-limited message (the in-tree module says nothing).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/init.h>
#include <linux/module.h>
#include <linux/netlink.h>
#include <linux/jhash.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <net/netfilter/nf_tables.h>
#include <net/netfilter/nf_queue.h>

#include "nfq_failopen_ref.h"

#ifndef NFT_QUEUE_FLAG_FAIL_OPEN
#define NFT_QUEUE_FLAG_FAIL_OPEN	0x04
#endif
#define NFEXT_QUEUE_FLAG_MASK	(NFT_QUEUE_FLAG_BYPASS | \
				 NFT_QUEUE_FLAG_CPU_FANOUT | \
				 NFT_QUEUE_FLAG_FAIL_OPEN)

static u32 jhash_initval __read_mostly;
DEFINE_NFQ_FAILOPEN_REF(nft_queue_failopen);

struct nft_queue {
	u8	sreg_qnum;
	u16	queuenum;
	u16	queues_total;
	u16	flags;
};

/* the verdict for a packet meant for @queue */
static u32 nft_queue_verdict(const struct nft_queue *priv,
			     const struct nft_pktinfo *pkt, u32 queue)
{
	u32 ret;

	if ((priv->flags & NFT_QUEUE_FLAG_FAIL_OPEN) &&
	    nfq_failopen_full(&nft_queue_failopen, nft_net(pkt), queue,
			      pkt->skb))
		return NF_ACCEPT;

	ret = NF_QUEUE_NR(queue);
	if (priv->flags & NFT_QUEUE_FLAG_BYPASS)
		ret |= NF_VERDICT_FLAG_QUEUE_BYPASS;
	return ret;
}

static void nft_queue_eval(const struct nft_expr *expr,
			   struct nft_regs *regs,
			   const struct nft_pktinfo *pkt)
{
	const struct nft_queue *priv = nft_expr_priv(expr);
	u32 queue = priv->queuenum;

	if (priv->queues_total > 1) {
		if (priv->flags & NFT_QUEUE_FLAG_CPU_FANOUT)
			queue = priv->queuenum +
				raw_smp_processor_id() % priv->queues_total;
		else
			queue = nfqueue_hash(pkt->skb, queue,
					     priv->queues_total, nft_pf(pkt),
					     jhash_initval);
	}
	regs->verdict.code = nft_queue_verdict(priv, pkt, queue);
}

static void nft_queue_sreg_eval(const struct nft_expr *expr,
				struct nft_regs *regs,
				const struct nft_pktinfo *pkt)
{
	const struct nft_queue *priv = nft_expr_priv(expr);

	regs->verdict.code = nft_queue_verdict(priv, pkt,
					       regs->data[priv->sreg_qnum]);
}

static int nft_queue_validate(const struct nft_ctx *ctx,
			      const struct nft_expr *expr)
{
	static const unsigned int hooks = (1 << NF_INET_PRE_ROUTING) |
					  (1 << NF_INET_LOCAL_IN) |
					  (1 << NF_INET_FORWARD) |
					  (1 << NF_INET_LOCAL_OUT) |
					  (1 << NF_INET_POST_ROUTING);

	switch (ctx->family) {
	case NFPROTO_IPV4:
	case NFPROTO_IPV6:
	case NFPROTO_INET:
	case NFPROTO_BRIDGE:
		return nft_chain_validate_hooks(ctx->chain, hooks);
	default:
		/* netdev has no okfn to reinject with */
		return -EOPNOTSUPP;
	}
}

static const struct nla_policy nft_queue_policy[NFTA_QUEUE_MAX + 1] = {
	[NFTA_QUEUE_NUM]	= { .type = NLA_U16 },
	[NFTA_QUEUE_TOTAL]	= { .type = NLA_U16 },
	[NFTA_QUEUE_FLAGS]	= { .type = NLA_U16 },
	[NFTA_QUEUE_SREG_QNUM]	= { .type = NLA_U32 },
};

/* the flags of both forms; takes the fail-open reference, so last */
static int nft_queue_init_flags(struct nft_queue *priv,
				const struct nlattr *attr, bool sreg)
{
	if (!attr)
		return 0;
	priv->flags = ntohs(nla_get_be16(attr));
	if (priv->flags & ~NFEXT_QUEUE_FLAG_MASK) {
		pr_info_ratelimited("unknown flags 0x%x\n",
				    priv->flags & ~NFEXT_QUEUE_FLAG_MASK);
		return -EINVAL;
	}
	if (sreg && (priv->flags & NFT_QUEUE_FLAG_CPU_FANOUT)) {
		pr_info_ratelimited("fanout needs a queue range, not a register\n");
		return -EOPNOTSUPP;
	}
	if (priv->flags & NFT_QUEUE_FLAG_FAIL_OPEN)
		return nfq_failopen_get(&nft_queue_failopen);
	return 0;
}

static int nft_queue_init(const struct nft_ctx *ctx,
			  const struct nft_expr *expr,
			  const struct nlattr * const tb[])
{
	struct nft_queue *priv = nft_expr_priv(expr);
	u32 last;

	priv->queuenum = ntohs(nla_get_be16(tb[NFTA_QUEUE_NUM]));
	priv->queues_total = 1;
	if (tb[NFTA_QUEUE_TOTAL])
		priv->queues_total = ntohs(nla_get_be16(tb[NFTA_QUEUE_TOTAL]));
	if (!priv->queues_total)
		return -EINVAL;
	last = priv->queuenum + priv->queues_total - 1;
	if (last > U16_MAX)
		return -ERANGE;

	return nft_queue_init_flags(priv, tb[NFTA_QUEUE_FLAGS], false);
}

static int nft_queue_sreg_init(const struct nft_ctx *ctx,
			       const struct nft_expr *expr,
			       const struct nlattr * const tb[])
{
	struct nft_queue *priv = nft_expr_priv(expr);
	int err;

	err = nft_parse_register_load(ctx, tb[NFTA_QUEUE_SREG_QNUM],
				      &priv->sreg_qnum, sizeof(u32));
	if (err < 0)
		return err;

	return nft_queue_init_flags(priv, tb[NFTA_QUEUE_FLAGS], true);
}

static void nft_queue_destroy(const struct nft_ctx *ctx,
			      const struct nft_expr *expr)
{
	const struct nft_queue *priv = nft_expr_priv(expr);

	if (priv->flags & NFT_QUEUE_FLAG_FAIL_OPEN)
		nfq_failopen_put(&nft_queue_failopen);
}

static int nft_queue_dump(struct sk_buff *skb, const struct nft_expr *expr,
			  bool reset)
{
	const struct nft_queue *priv = nft_expr_priv(expr);

	if (nla_put_be16(skb, NFTA_QUEUE_NUM, htons(priv->queuenum)) ||
	    nla_put_be16(skb, NFTA_QUEUE_TOTAL, htons(priv->queues_total)) ||
	    nla_put_be16(skb, NFTA_QUEUE_FLAGS, htons(priv->flags)))
		return -1;
	return 0;
}

static int nft_queue_sreg_dump(struct sk_buff *skb,
			       const struct nft_expr *expr, bool reset)
{
	const struct nft_queue *priv = nft_expr_priv(expr);

	if (nft_dump_register(skb, NFTA_QUEUE_SREG_QNUM, priv->sreg_qnum) ||
	    nla_put_be16(skb, NFTA_QUEUE_FLAGS, htons(priv->flags)))
		return -1;
	return 0;
}

static struct nft_expr_type nft_queue_type;

static const struct nft_expr_ops nft_queue_ops = {
	.type		= &nft_queue_type,
	.size		= NFT_EXPR_SIZE(sizeof(struct nft_queue)),
	.eval		= nft_queue_eval,
	.init		= nft_queue_init,
	.destroy	= nft_queue_destroy,
	.dump		= nft_queue_dump,
	.validate	= nft_queue_validate,
	.reduce		= NFT_REDUCE_READONLY,
};

static const struct nft_expr_ops nft_queue_sreg_ops = {
	.type		= &nft_queue_type,
	.size		= NFT_EXPR_SIZE(sizeof(struct nft_queue)),
	.eval		= nft_queue_sreg_eval,
	.init		= nft_queue_sreg_init,
	.destroy	= nft_queue_destroy,
	.dump		= nft_queue_sreg_dump,
	.validate	= nft_queue_validate,
	.reduce		= NFT_REDUCE_READONLY,
};

static const struct nft_expr_ops *
nft_queue_select_ops(const struct nft_ctx *ctx,
		     const struct nlattr * const tb[])
{
	if (tb[NFTA_QUEUE_NUM] && tb[NFTA_QUEUE_SREG_QNUM])
		return ERR_PTR(-EINVAL);

	init_hashrandom(&jhash_initval);

	if (tb[NFTA_QUEUE_NUM])
		return &nft_queue_ops;
	if (tb[NFTA_QUEUE_SREG_QNUM])
		return &nft_queue_sreg_ops;
	return ERR_PTR(-EINVAL);
}

static struct nft_expr_type nft_queue_type __read_mostly = {
	.name		= "queue",
	.select_ops	= nft_queue_select_ops,
	.policy		= nft_queue_policy,
	.maxattr	= NFTA_QUEUE_MAX,
	.owner		= THIS_MODULE,
};

static int __init nft_queue_module_init(void)
{
	return nft_register_expr(&nft_queue_type);
}

static void __exit nft_queue_module_exit(void)
{
	nft_unregister_expr(&nft_queue_type);
}

module_init(nft_queue_module_init);
module_exit(nft_queue_module_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("nfext: nftables queue expression with per-rule fail-open");
MODULE_VERSION("0.1");
MODULE_ALIAS_NFT_EXPR("queue");
