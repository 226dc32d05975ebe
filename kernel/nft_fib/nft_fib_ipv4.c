// SPDX-License-Identifier: GPL-2.0
/*
 * nfext fib expression, IPv4: the route lookups and the "fib" expression
 * type of the ip family. Follows mainline's net/ipv4/netfilter/nft_fib_ipv4.c;
 * the route decision is the reverse-path core shared with xt_rpfilter
 * (kernel/include/nfext_rpath.h: link state ignored, every nexthop, VRF,
 * route types, feasible and no-default), plus an established socket's
 * cached route as a shortcut.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/ip.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <net/inet_dscp.h>
#include <net/ip.h>
#include <net/ip_fib.h>
#include <net/l3mdev.h>
#include <net/route.h>
#include <net/netfilter/nf_tables.h>
#include "nfext_fib.h"

/* See nfext_fib_fast_sk(): the socket's valid route back to the source
 * leaves through the input device.
 */
static bool nfext_fib4_sk_says_iif(const struct nfext_fib *priv,
				   const struct nft_pktinfo *pkt,
				   const struct iphdr *iph)
{
	struct sock *sk = nfext_fib_fast_sk(priv, pkt);
	struct dst_entry *dst;
	struct rtable *rt;

	if (!sk || nft_net(pkt)->ipv4.fib_has_custom_rules)
		return false;
	if (sk->sk_daddr != iph->saddr || sk->sk_rcv_saddr != iph->daddr)
		return false;
	dst = rcu_dereference(sk->sk_dst_cache);
	if (!dst || dst->ops->family != AF_INET || dst->dev != nft_in(pkt) ||
	    dst->error)
		return false;
	rt = (struct rtable *)dst;
	/* still valid, as ipv4_dst_check() sees it: no routing change since
	 * the route was looked up
	 */
	return rt->rt_type == RTN_UNICAST &&
	       dst->obsolete == DST_OBSOLETE_FORCE_CHK &&
	       rt->rt_genid == rt_genid_ipv4(dev_net(dst->dev));
}

void nfext_fib4_eval(const struct nft_expr *expr, struct nft_regs *regs,
		     const struct nft_pktinfo *pkt)
{
	const struct nfext_fib *priv = nft_expr_priv(expr);
	const struct net_device *dev = nfext_fib_dev(priv, pkt);
	u32 *dest = &regs->data[priv->dreg];
	struct nfext_rpath rp;
	struct iphdr *iph, _iph;
	__be32 daddr, saddr;

	if (nfext_fib_before_routing(pkt) && nfext_fib_loopback(pkt)) {
		nfext_fib_store_result(dest, priv, nft_in(pkt));
		return;
	}

	iph = skb_header_pointer(pkt->skb, skb_network_offset(pkt->skb),
				 sizeof(_iph), &_iph);
	if (!iph) {
		regs->verdict.code = NFT_BREAK;
		return;
	}

	/* DHCP and the like: no source address yet, sent to everyone. */
	if (nfext_rpath4_unsourced_ok(iph->saddr, iph->daddr)) {
		nfext_fib_store_result(dest, priv, pkt->skb->dev);
		return;
	}

	if (nfext_fib4_sk_says_iif(priv, pkt, iph)) {
		nfext_fib_store_result(dest, priv, nft_in(pkt));
		return;
	}

	nfext_fib_rpath(&rp, priv, pkt, dev);
	/* a local destination has no output interface; with a device, any
	 * nexthop of a multipath route counts
	 */
	if (priv->flags & NFTA_FIB_F_DADDR) {
		daddr = iph->daddr;
		saddr = iph->saddr;
	} else {	/* reverse lookup: as if answering the sender */
		daddr = iph->saddr;
		saddr = iph->daddr;
	}
	nfext_fib_store_result(dest, priv,
			       nfext_rpath4(&rp, daddr, saddr, iph->tos));
}
EXPORT_SYMBOL_GPL(nfext_fib4_eval);

void nfext_fib4_eval_type(const struct nft_expr *expr, struct nft_regs *regs,
			  const struct nft_pktinfo *pkt)
{
	const struct nfext_fib *priv = nft_expr_priv(expr);
	struct iphdr *iph, _iph;

	iph = skb_header_pointer(pkt->skb, skb_network_offset(pkt->skb),
				 sizeof(_iph), &_iph);
	if (!iph) {
		regs->verdict.code = NFT_BREAK;
		return;
	}
	regs->data[priv->dreg] =
		inet_dev_addr_type(nft_net(pkt), nfext_fib_dev(priv, pkt),
				   priv->flags & NFTA_FIB_F_DADDR ?
				   iph->daddr : iph->saddr);
}
EXPORT_SYMBOL_GPL(nfext_fib4_eval_type);

static struct nft_expr_type nfext_fib4_type;

static const struct nft_expr_ops nfext_fib4_ops = {
	.type		= &nfext_fib4_type,
	.size		= NFT_EXPR_SIZE(sizeof(struct nfext_fib)),
	.eval		= nfext_fib4_eval,
	.init		= nfext_fib_init,
	.dump		= nfext_fib_dump,
	.validate	= nfext_fib_validate,
};

static const struct nft_expr_ops nfext_fib4_type_ops = {
	.type		= &nfext_fib4_type,
	.size		= NFT_EXPR_SIZE(sizeof(struct nfext_fib)),
	.eval		= nfext_fib4_eval_type,
	.init		= nfext_fib_init,
	.dump		= nfext_fib_dump,
	.validate	= nfext_fib_validate,
};

static const struct nft_expr_ops *
nfext_fib4_select_ops(const struct nft_ctx *ctx,
		      const struct nlattr * const tb[])
{
	return nfext_fib_select(tb, &nfext_fib4_ops, &nfext_fib4_type_ops);
}

static struct nft_expr_type nfext_fib4_type __read_mostly = {
	.name		= "fib",
	.family		= NFPROTO_IPV4,
	.select_ops	= nfext_fib4_select_ops,
	.policy		= nfext_fib_policy,
	.maxattr	= NFTA_FIB_MAX,
	.owner		= THIS_MODULE,
};

static int __init nfext_fib4_init(void)
{
	return nft_register_expr(&nfext_fib4_type);
}

static void __exit nfext_fib4_exit(void)
{
	nft_unregister_expr(&nfext_fib4_type);
}

module_init(nfext_fib4_init);
module_exit(nfext_fib4_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("nfext: nftables fib expression, IPv4 route lookups");
MODULE_ALIAS_NFT_AF_EXPR(2, "fib");
