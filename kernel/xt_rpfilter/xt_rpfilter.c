// SPDX-License-Identifier: GPL-2.0
/*
 * xt_rpfilter: the reverse path filter match of nfext, IPv4 and IPv6.
 * Replaces mainline's net/ipv4/netfilter/ipt_rpfilter.c and
 * net/ipv6/netfilter/ip6t_rpfilter.c with one module; the route decision
 * is the reverse-path core shared with nft's fib expression
 * (kernel/include/nfext_rpath.h, which lists what differs from mainline).
 *
 * A packet passes when the route back to its source, looked up with the
 * packet's addresses swapped, in the routing table of the input device's
 * VRF and regardless of link state, leaves through the device the packet
 * came in on (strict mode). Every nexthop of a multipath route counts, for
 * both families. --loose accepts any unicast route back, --validmark puts
 * the packet mark into the lookup, --accept-local lets local sources pass
 * and --invert matches the packets that fail instead. nfext's own:
 * --feasible (any route of the most specific prefix covering the source
 * may lead back, whatever its metric; not with --loose) and --no-default
 * (a default route is no route back).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/netfilter/x_tables.h>
#include <nfext_rpath.h>

#include "xt_rpfilter.h"

/* The core's flags for the match's options. */
static u32 rpf_core_flags(u8 flags)
{
	u32 core = 0;

	if (flags & XT_RPFILTER_FEASIBLE)
		core |= NFEXT_RPATH_FEASIBLE;
	if (flags & XT_RPFILTER_NO_DEFAULT)
		core |= NFEXT_RPATH_NO_DEFAULT;
	if (flags & XT_RPFILTER_ACCEPT_LOCAL)
		core |= NFEXT_RPATH_LOCAL;
	return core;
}

/* inline: called by both matches, and its struct should stay in registers */
static inline void rpf_init(struct nfext_rpath *rp, const struct sk_buff *skb,
			    const struct xt_action_param *par, u8 flags)
{
	rp->net = xt_net(par);
	rp->in = xt_in(par);
	rp->link = rp->in;
	rp->dev = flags & XT_RPFILTER_LOOSE ? NULL : rp->in;
	rp->iif = 0;
	rp->mark = flags & XT_RPFILTER_VALID_MARK ? skb->mark : 0;
	rp->flags = rpf_core_flags(flags);
}

static bool rpfilter_mt4(const struct sk_buff *skb,
			 struct xt_action_param *par)
{
	const struct xt_rpfilter_info *info = par->matchinfo;
	bool invert = info->flags & XT_RPFILTER_INVERT;
	const struct iphdr *iph = ip_hdr(skb);
	struct nfext_rpath rp;

	if (nfext_rpath_loopback(skb, xt_in(par)) ||
	    nfext_rpath4_unsourced_ok(iph->saddr, iph->daddr))
		return !invert;
	rpf_init(&rp, skb, par, info->flags);
	return !!nfext_rpath4(&rp, iph->saddr, iph->daddr, iph->tos) ^ invert;
}

static bool rpfilter_mt6(const struct sk_buff *skb,
			 struct xt_action_param *par)
{
	const struct xt_rpfilter_info *info = par->matchinfo;
	bool invert = info->flags & XT_RPFILTER_INVERT;
	const struct ipv6hdr *ip6h = ipv6_hdr(skb);
	struct nfext_rpath rp;

	if (nfext_rpath_loopback(skb, xt_in(par)))
		return !invert;
	if (ipv6_addr_any(&ip6h->saddr))
		return nfext_rpath6_unsourced_ok(&ip6h->daddr) ^ invert;
	rpf_init(&rp, skb, par, info->flags);
	return !!nfext_rpath6(&rp, &ip6h->saddr, &ip6h->daddr,
			      ip6_flowinfo(ip6h), ip6h->nexthdr) ^ invert;
}

/*
 * The x_tables core already refuses hooks other than PREROUTING (with its
 * own rate-limited message naming the hook); the table is checked here.
 */
static int rpfilter_mt_check(const struct xt_mtchk_param *par)
{
	const struct xt_rpfilter_info *info = par->matchinfo;

	if (info->flags & ~XT_RPFILTER_ALL_FLAGS) {
		pr_info_ratelimited("unknown flag bits 0x%02x (known: 0x%02x)\n",
				    info->flags & ~XT_RPFILTER_ALL_FLAGS,
				    XT_RPFILTER_ALL_FLAGS);
		return -EINVAL;
	}
	if ((info->flags & XT_RPFILTER_FEASIBLE) &&
	    (info->flags & XT_RPFILTER_LOOSE)) {
		pr_info_ratelimited("--feasible and --loose exclude each other (feasible is a strict mode)\n");
		return -EINVAL;
	}
	if (strcmp(par->table, "raw") && strcmp(par->table, "mangle")) {
		pr_info_ratelimited("only valid in PREROUTING of the raw or mangle table, not in table %s\n",
				    par->table);
		return -EINVAL;
	}
	return 0;
}

static struct xt_match rpfilter_mt_reg[] __read_mostly = {
	{
		.name		= "rpfilter",
		.revision	= 0,
		.family		= NFPROTO_IPV4,
		.match		= rpfilter_mt4,
		.checkentry	= rpfilter_mt_check,
		.matchsize	= sizeof(struct xt_rpfilter_info),
		.hooks		= BIT(NF_INET_PRE_ROUTING),
		.me		= THIS_MODULE,
	},
	{
		.name		= "rpfilter",
		.revision	= 0,
		.family		= NFPROTO_IPV6,
		.match		= rpfilter_mt6,
		.checkentry	= rpfilter_mt_check,
		.matchsize	= sizeof(struct xt_rpfilter_info),
		.hooks		= BIT(NF_INET_PRE_ROUTING),
		.me		= THIS_MODULE,
	},
};

static int __init rpfilter_mt_init(void)
{
	return xt_register_matches(rpfilter_mt_reg,
				   ARRAY_SIZE(rpfilter_mt_reg));
}

static void __exit rpfilter_mt_exit(void)
{
	xt_unregister_matches(rpfilter_mt_reg, ARRAY_SIZE(rpfilter_mt_reg));
}

module_init(rpfilter_mt_init);
module_exit(rpfilter_mt_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("nfext");
MODULE_DESCRIPTION("Xtables: reverse path filter match for IPv4 and IPv6 (multipath and VRF aware)");
MODULE_ALIAS("ipt_rpfilter");
MODULE_ALIAS("ip6t_rpfilter");
