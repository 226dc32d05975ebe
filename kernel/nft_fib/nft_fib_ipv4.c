// SPDX-License-Identifier: GPL-2.0
/*
 * nfext fib expression, IPv4: the route lookups and the "fib" expression
 * type of the ip family.
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

/* Only a unicast address makes sense as the source of a lookup. */
static __be32 nfext_fib4_src(__be32 addr)
{
	if (ipv4_is_multicast(addr) || ipv4_is_lbcast(addr) ||
	    ipv4_is_zeronet(addr))
		return 0;
	return addr;
}

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
	const struct net_device *found;
	struct iphdr *iph, _iph;
	struct fib_result res;
	struct flowi4 fl4 = {
		.flowi4_scope	= RT_SCOPE_UNIVERSE,
		.flowi4_iif	= LOOPBACK_IFINDEX,
		.flowi4_uid	= sock_net_uid(nft_net(pkt), NULL),
		.flowi4_l3mdev	= l3mdev_master_ifindex_rcu(nft_in(pkt)),
	};

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
	if (ipv4_is_zeronet(iph->saddr) &&
	    (ipv4_is_lbcast(iph->daddr) ||
	     ipv4_is_local_multicast(iph->daddr))) {
		nfext_fib_store_result(dest, priv, pkt->skb->dev);
		return;
	}

	if (nfext_fib4_sk_says_iif(priv, pkt, iph)) {
		nfext_fib_store_result(dest, priv, nft_in(pkt));
		return;
	}

	if (priv->flags & NFTA_FIB_F_MARK)
		fl4.flowi4_mark = pkt->skb->mark;
	fl4.flowi4_tos = iph->tos & INET_DSCP_MASK;

	if (priv->flags & NFTA_FIB_F_DADDR) {
		fl4.daddr = iph->daddr;
		fl4.saddr = nfext_fib4_src(iph->saddr);
	} else {
		/* reverse lookup: as if answering the sender */
		fl4.daddr = iph->saddr;
		fl4.saddr = nfext_fib4_src(iph->daddr);
		if (nft_hook(pkt) == NF_INET_FORWARD &&
		    (priv->flags & NFTA_FIB_F_IIF))
			fl4.flowi4_iif = nft_out(pkt)->ifindex;
	}

	found = NULL;
	/* a local destination has no output interface; with a device,
	 * any nexthop of a multipath route counts
	 */
	if (!fib_lookup(nft_net(pkt), &fl4, &res, FIB_LOOKUP_IGNORE_LINKSTATE) &&
	    res.type != RTN_LOCAL) {
		if (!dev)
			found = FIB_RES_DEV(res);
		else if (fib_info_nh_uses_dev(res.fi, dev))
			found = dev;
	}
	nfext_fib_store_result(dest, priv, found);
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
