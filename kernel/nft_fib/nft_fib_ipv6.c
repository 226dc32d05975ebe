// SPDX-License-Identifier: GPL-2.0
/*
 * nfext fib expression, IPv6: the route lookups and the "fib" expression
 * type of the ip6 family. Follows mainline's net/ipv6/netfilter/nft_fib_ipv6.c;
 * the oif/oifname lookups are the reverse-path core shared with xt_rpfilter
 * (kernel/include/nfext_rpath.h), which takes no referenced dst per packet
 * (mainline's ip6_route_lookup() does), counts every nexthop and VRF
 * member, and has the feasible and no-default modes. The type result keeps
 * mainline's route lookup.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/ipv6.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <net/addrconf.h>
#include <net/ip6_fib.h>
#include <net/ip6_route.h>
#include <net/ipv6.h>
#include <net/l3mdev.h>
#include <net/nexthop.h>
#include <net/netfilter/nf_tables.h>
#include "nfext_fib.h"

/* Fill the flow of the lookup the rule asks for; returns the lookup flags. */
static int nfext_fib6_flow(struct flowi6 *fl6, const struct nfext_fib *priv,
			   const struct nft_pktinfo *pkt,
			   const struct net_device *dev,
			   const struct ipv6hdr *iph)
{
	int flags = RT6_LOOKUP_F_IGNORE_LINKSTATE;

	fl6->flowi6_iif = LOOPBACK_IFINDEX;
	fl6->flowi6_proto = pkt->tprot;
	fl6->flowi6_uid = sock_net_uid(nft_net(pkt), NULL);
	if (priv->flags & NFTA_FIB_F_DADDR) {
		fl6->daddr = iph->daddr;
		fl6->saddr = iph->saddr;
	} else {
		/* reverse lookup: as if answering the sender */
		fl6->daddr = iph->saddr;
		fl6->saddr = iph->daddr;
		if (nft_hook(pkt) == NF_INET_FORWARD &&
		    (priv->flags & NFTA_FIB_F_IIF))
			fl6->flowi6_iif = nft_out(pkt)->ifindex;
	}
	/* link-local addresses only mean something on their link */
	if (ipv6_addr_type(&fl6->daddr) & IPV6_ADDR_LINKLOCAL) {
		flags |= RT6_LOOKUP_F_IFACE;
		fl6->flowi6_oif = dev ? dev->ifindex : pkt->skb->dev->ifindex;
	}
	if (ipv6_addr_type(&fl6->saddr) & IPV6_ADDR_UNICAST)
		flags |= RT6_LOOKUP_F_HAS_SADDR;
	if (priv->flags & NFTA_FIB_F_MARK)
		fl6->flowi6_mark = pkt->skb->mark;
	fl6->flowlabel = ip6_flowinfo(iph);
	return flags;
}

/* See nfext_fib_fast_sk(): the socket's valid route back to the source
 * leaves through the input device.
 */
static bool nfext_fib6_sk_says_iif(const struct nfext_fib *priv,
				   const struct nft_pktinfo *pkt,
				   const struct ipv6hdr *iph)
{
	struct sock *sk = nfext_fib_fast_sk(priv, pkt);
	struct dst_entry *dst;
	struct rt6_info *rt;

	if (!sk || sk->sk_family != AF_INET6 ||
	    nft_net(pkt)->ipv6.fib6_has_custom_rules)
		return false;
	if (!ipv6_addr_equal(&sk->sk_v6_daddr, &iph->saddr) ||
	    !ipv6_addr_equal(&sk->sk_v6_rcv_saddr, &iph->daddr))
		return false;
	dst = rcu_dereference(sk->sk_dst_cache);
	if (!dst || dst->ops->family != AF_INET6 || dst->dev != nft_in(pkt) ||
	    dst->error)
		return false;
	rt = (struct rt6_info *)dst;
	if (rt->rt6i_flags & (RTF_REJECT | RTF_ANYCAST | RTF_LOCAL))
		return false;
	return !dst->obsolete ||
	       dst->ops->check(dst, inet6_sk(sk)->dst_cookie);
}

void nfext_fib6_eval(const struct nft_expr *expr, struct nft_regs *regs,
		     const struct nft_pktinfo *pkt)
{
	const struct nfext_fib *priv = nft_expr_priv(expr);
	const struct net_device *dev = nfext_fib_dev(priv, pkt);
	u32 *dest = &regs->data[priv->dreg];
	const struct in6_addr *daddr, *saddr;
	struct ipv6hdr *iph, _iph;
	struct nfext_rpath rp;

	iph = skb_header_pointer(pkt->skb, skb_network_offset(pkt->skb),
				 sizeof(_iph), &_iph);
	if (!iph) {
		regs->verdict.code = NFT_BREAK;
		return;
	}

	if (nfext_fib_before_routing(pkt) && nfext_fib_loopback(pkt)) {
		nfext_fib_store_result(dest, priv, nft_in(pkt));
		return;
	}

	if (priv->flags & NFTA_FIB_F_DADDR) {
		daddr = &iph->daddr;
		saddr = &iph->saddr;
	} else {
		/* reverse lookup: as if answering the sender */
		daddr = &iph->saddr;
		saddr = &iph->daddr;
		/* from ::, nothing to look up: DAD and MLD pass */
		if (ipv6_addr_any(daddr)) {
			nfext_fib_store_result(dest, priv,
					       nfext_rpath6_unsourced_ok(saddr) ?
					       nft_in(pkt) : NULL);
			return;
		}
	}

	if (nfext_fib6_sk_says_iif(priv, pkt, iph)) {
		nfext_fib_store_result(dest, priv, nft_in(pkt));
		return;
	}

	/* no referenced dst: the core reads the fib under RCU */
	nfext_fib_rpath(&rp, priv, pkt, dev);
	nfext_fib_store_result(dest, priv,
			       nfext_rpath6(&rp, daddr, saddr,
					    ip6_flowinfo(iph), pkt->tprot));
}
EXPORT_SYMBOL_GPL(nfext_fib6_eval);

static u32 nfext_fib6_route_error(int err)
{
	switch (err) {
	case -EINVAL:
		return RTN_BLACKHOLE;
	case -EACCES:
		return RTN_PROHIBIT;
	case -EAGAIN:
		return RTN_THROW;
	default:
		return RTN_UNREACHABLE;
	}
}

static u32 nfext_fib6_type(const struct nfext_fib *priv,
			   const struct nft_pktinfo *pkt,
			   const struct ipv6hdr *iph)
{
	const struct net_device *dev = nfext_fib_dev(priv, pkt);
	struct flowi6 fl6 = {
		.flowi6_l3mdev = l3mdev_master_ifindex_rcu(dev),
	};
	struct rt6_info *rt;
	u32 type = RTN_UNSPEC;
	int flags, addrtype;

	flags = nfext_fib6_flow(&fl6, priv, pkt, dev, iph);
	if (dev && ipv6_chk_addr(nft_net(pkt), &fl6.daddr, dev, true))
		type = RTN_LOCAL;

	rt = (struct rt6_info *)ip6_route_lookup(nft_net(pkt), &fl6, pkt->skb,
						 flags);
	if (rt->dst.error) {
		type = nfext_fib6_route_error(rt->dst.error);
		goto out;
	}
	if (ipv6_anycast_destination(&rt->dst, &fl6.daddr))
		type = RTN_ANYCAST;
	else if (!dev && (rt->rt6i_flags & RTF_LOCAL))
		type = RTN_LOCAL;
	if (type != RTN_UNSPEC)
		goto out;

	addrtype = ipv6_addr_type(&fl6.daddr);
	if (addrtype & IPV6_ADDR_MULTICAST)
		type = RTN_MULTICAST;
	else if (addrtype & IPV6_ADDR_UNICAST)
		type = RTN_UNICAST;
out:
	ip6_rt_put(rt);
	return type;
}

void nfext_fib6_eval_type(const struct nft_expr *expr, struct nft_regs *regs,
			  const struct nft_pktinfo *pkt)
{
	const struct nfext_fib *priv = nft_expr_priv(expr);
	struct ipv6hdr *iph, _iph;

	iph = skb_header_pointer(pkt->skb, skb_network_offset(pkt->skb),
				 sizeof(_iph), &_iph);
	if (!iph) {
		regs->verdict.code = NFT_BREAK;
		return;
	}
	regs->data[priv->dreg] = nfext_fib6_type(priv, pkt, iph);
}
EXPORT_SYMBOL_GPL(nfext_fib6_eval_type);

static struct nft_expr_type nfext_fib6_type_expr;

static const struct nft_expr_ops nfext_fib6_ops = {
	.type		= &nfext_fib6_type_expr,
	.size		= NFT_EXPR_SIZE(sizeof(struct nfext_fib)),
	.eval		= nfext_fib6_eval,
	.init		= nfext_fib_init,
	.dump		= nfext_fib_dump,
	.validate	= nfext_fib_validate,
};

static const struct nft_expr_ops nfext_fib6_type_ops = {
	.type		= &nfext_fib6_type_expr,
	.size		= NFT_EXPR_SIZE(sizeof(struct nfext_fib)),
	.eval		= nfext_fib6_eval_type,
	.init		= nfext_fib_init,
	.dump		= nfext_fib_dump,
	.validate	= nfext_fib_validate,
};

static const struct nft_expr_ops *
nfext_fib6_select_ops(const struct nft_ctx *ctx,
		      const struct nlattr * const tb[])
{
	return nfext_fib_select(tb, &nfext_fib6_ops, &nfext_fib6_type_ops);
}

static struct nft_expr_type nfext_fib6_type_expr __read_mostly = {
	.name		= "fib",
	.family		= NFPROTO_IPV6,
	.select_ops	= nfext_fib6_select_ops,
	.policy		= nfext_fib_policy,
	.maxattr	= NFTA_FIB_MAX,
	.owner		= THIS_MODULE,
};

static int __init nfext_fib6_init(void)
{
	return nft_register_expr(&nfext_fib6_type_expr);
}

static void __exit nfext_fib6_exit(void)
{
	nft_unregister_expr(&nfext_fib6_type_expr);
}

module_init(nfext_fib6_init);
module_exit(nfext_fib6_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("nfext: nftables fib expression, IPv6 route lookups");
MODULE_ALIAS_NFT_AF_EXPR(10, "fib");
