// SPDX-License-Identifier: GPL-2.0
/*
 * nfext fib expression, inet family: hands each packet to the IPv4 or IPv6
 * lookup of nft_fib_ipv4 / nft_fib_ipv6.
 */
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <net/netfilter/nf_tables.h>
#include "nfext_fib.h"

static void nfext_fib_inet_eval(const struct nft_expr *expr,
				struct nft_regs *regs,
				const struct nft_pktinfo *pkt)
{
	const struct nfext_fib *priv = nft_expr_priv(expr);
	bool type = priv->result == NFT_FIB_RESULT_ADDRTYPE;

	switch (nft_pf(pkt)) {
	case NFPROTO_IPV4:
		if (type)
			nfext_fib4_eval_type(expr, regs, pkt);
		else
			nfext_fib4_eval(expr, regs, pkt);
		return;
	case NFPROTO_IPV6:
		if (type)
			nfext_fib6_eval_type(expr, regs, pkt);
		else
			nfext_fib6_eval(expr, regs, pkt);
		return;
	}
	regs->verdict.code = NF_DROP;
}

static struct nft_expr_type nfext_fib_inet_type;

static const struct nft_expr_ops nfext_fib_inet_ops = {
	.type		= &nfext_fib_inet_type,
	.size		= NFT_EXPR_SIZE(sizeof(struct nfext_fib)),
	.eval		= nfext_fib_inet_eval,
	.init		= nfext_fib_init,
	.dump		= nfext_fib_dump,
	.validate	= nfext_fib_validate,
};

static const struct nft_expr_ops *
nfext_fib_inet_select_ops(const struct nft_ctx *ctx,
			  const struct nlattr * const tb[])
{
	return nfext_fib_select(tb, &nfext_fib_inet_ops, &nfext_fib_inet_ops);
}

static struct nft_expr_type nfext_fib_inet_type __read_mostly = {
	.name		= "fib",
	.family		= NFPROTO_INET,
	.select_ops	= nfext_fib_inet_select_ops,
	.policy		= nfext_fib_policy,
	.maxattr	= NFTA_FIB_MAX,
	.owner		= THIS_MODULE,
};

static int __init nfext_fib_inet_init(void)
{
	return nft_register_expr(&nfext_fib_inet_type);
}

static void __exit nfext_fib_inet_exit(void)
{
	nft_unregister_expr(&nfext_fib_inet_type);
}

module_init(nfext_fib_inet_init);
module_exit(nfext_fib_inet_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("nfext: nftables fib expression, inet family");
MODULE_ALIAS_NFT_AF_EXPR(1, "fib");
