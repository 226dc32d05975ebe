// SPDX-License-Identifier: GPL-2.0
/*
 * nfext fib expression, netdev family: route lookups from the ingress (and,
 * for the type result, egress) hook of a device, by the packet's protocol.
 */
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/if_ether.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <net/ipv6.h>
#include <net/netfilter/nf_tables.h>
#include "nfext_fib.h"

static void nfext_fib_netdev_eval(const struct nft_expr *expr,
				  struct nft_regs *regs,
				  const struct nft_pktinfo *pkt)
{
	const struct nfext_fib *priv = nft_expr_priv(expr);
	bool type = priv->result == NFT_FIB_RESULT_ADDRTYPE;

	switch (pkt->skb->protocol) {
	case htons(ETH_P_IP):
		if (type)
			nfext_fib4_eval_type(expr, regs, pkt);
		else
			nfext_fib4_eval(expr, regs, pkt);
		return;
	case htons(ETH_P_IPV6):
		if (!ipv6_mod_enabled())
			break;
		if (type)
			nfext_fib6_eval_type(expr, regs, pkt);
		else
			nfext_fib6_eval(expr, regs, pkt);
		return;
	}
	/* not IP: the rule does not match */
	regs->verdict.code = NFT_BREAK;
}

static struct nft_expr_type nfext_fib_netdev_type;

static const struct nft_expr_ops nfext_fib_netdev_ops = {
	.type		= &nfext_fib_netdev_type,
	.size		= NFT_EXPR_SIZE(sizeof(struct nfext_fib)),
	.eval		= nfext_fib_netdev_eval,
	.init		= nfext_fib_init,
	.dump		= nfext_fib_dump,
	.validate	= nfext_fib_netdev_validate,
};

static const struct nft_expr_ops *
nfext_fib_netdev_select_ops(const struct nft_ctx *ctx,
			    const struct nlattr * const tb[])
{
	return nfext_fib_select(tb, &nfext_fib_netdev_ops, &nfext_fib_netdev_ops);
}

static struct nft_expr_type nfext_fib_netdev_type __read_mostly = {
	.name		= "fib",
	.family		= NFPROTO_NETDEV,
	.select_ops	= nfext_fib_netdev_select_ops,
	.policy		= nfext_fib_policy,
	.maxattr	= NFTA_FIB_MAX,
	.owner		= THIS_MODULE,
};

static int __init nfext_fib_netdev_init(void)
{
	return nft_register_expr(&nfext_fib_netdev_type);
}

static void __exit nfext_fib_netdev_exit(void)
{
	nft_unregister_expr(&nfext_fib_netdev_type);
}

module_init(nfext_fib_netdev_init);
module_exit(nfext_fib_netdev_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("nfext: nftables fib expression, netdev family");
MODULE_ALIAS_NFT_AF_EXPR(5, "fib");
