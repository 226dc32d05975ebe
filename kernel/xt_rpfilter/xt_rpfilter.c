// SPDX-License-Identifier: GPL-2.0
/*
 * xt_rpfilter: the reverse path filter match of nfext, IPv4 and IPv6.
 *
 * A packet passes when the route back to its source, looked up with the
 * packet's addresses swapped, in the routing table of the input device's
 * VRF and regardless of link state, leaves through the device the packet
 * came in on (strict mode). Every nexthop of a multipath route counts, for
 * both families. --loose accepts any unicast route back, --validmark puts
 * the packet mark into the lookup, --accept-local lets local sources pass
 * and --invert matches the packets that fail instead.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/skbuff.h>
#include <linux/netdevice.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/netfilter/x_tables.h>
#include <net/ip.h>
#include <net/ip_fib.h>
#include <net/ipv6.h>
#include <net/ip6_fib.h>
#include <net/ip6_route.h>
#include <net/ipv6_stubs.h>
#include <net/l3mdev.h>
#include <net/nexthop.h>
#include <net/route.h>

#include "xt_rpfilter.h"

/* The VRF whose table holds the route back: none for most devices. */
static int rpf_vrf_of(const struct net_device *in)
{
	if (!netif_is_l3_master(in) && !netif_is_l3_slave(in))
		return 0;
	return l3mdev_master_ifindex_rcu(in);
}

/*
 * Does a nexthop through @out lead back to @in? Either it is the same
 * device, or @in is a VRF device and @out one of its members (VRF input
 * runs PREROUTING a second time with the VRF device as input).
 */
static bool rpf_same_dev(const struct net_device *out,
			 const struct net_device *in)
{
	if (out == in)
		return true;
	return out && netif_is_l3_master(in) &&
	       l3mdev_master_ifindex_rcu(out) == in->ifindex;
}

/*
 * The uid only matters to fib rules (uidrange); without custom rules skip
 * the user namespace mapping, the lookup ignores it anyway.
 */
static kuid_t rpf_uid(struct net *net, bool custom_rules)
{
	return custom_rules ? sock_net_uid(net, NULL) : GLOBAL_ROOT_UID;
}

/* Traffic looped back by this host never has a reverse path to check. */
static bool rpf_is_loopback(const struct sk_buff *skb,
			    const struct net_device *in)
{
	return skb->pkt_type == PACKET_LOOPBACK || (in->flags & IFF_LOOPBACK);
}

/* A DHCP client without an address: 0.0.0.0 to broadcast or 224.0.0.x. */
static bool rpf4_is_dhcp_style(const struct iphdr *iph)
{
	return ipv4_is_zeronet(iph->saddr) &&
	       (ipv4_is_lbcast(iph->daddr) ||
		ipv4_is_local_multicast(iph->daddr));
}

/*
 * What the type of the route back decides: 1 pass, 0 fail, -1 it depends on
 * the route's device(s) (a unicast route in strict mode). A local source
 * passes with --accept-local only; blackhole, unreachable, prohibit,
 * broadcast, anycast and the like fail.
 */
static int rpf_by_type(unsigned int type, u8 flags)
{
	switch (type) {
	case RTN_UNICAST:
		return flags & XT_RPFILTER_LOOSE ? 1 : -1;
	case RTN_LOCAL:
		return !!(flags & XT_RPFILTER_ACCEPT_LOCAL);
	default:
		return 0;
	}
}

static bool rpf4_check(const struct sk_buff *skb, const struct net_device *in,
		       struct net *net, u8 flags)
{
	const struct iphdr *iph = ip_hdr(skb);
	struct fib_result res;
	int by_type;
	struct flowi4 fl4 = {
		.flowi4_iif = LOOPBACK_IFINDEX,
		.flowi4_l3mdev = rpf_vrf_of(in),
		.flowi4_tos = iph->tos & IPTOS_RT_MASK,
		.flowi4_scope = RT_SCOPE_UNIVERSE,
		.flowi4_uid = rpf_uid(net, fib4_has_custom_rules(net)),
		.daddr = iph->saddr,
	};

	if (rpf4_is_dhcp_style(iph))
		return true;

	/* The packet's destination is our source, unless it is not unicast. */
	if (!ipv4_is_multicast(iph->daddr) && !ipv4_is_lbcast(iph->daddr) &&
	    !ipv4_is_zeronet(iph->daddr))
		fl4.saddr = iph->daddr;
	if (flags & XT_RPFILTER_VALID_MARK)
		fl4.flowi4_mark = skb->mark;

	if (fib_lookup(net, &fl4, &res, FIB_LOOKUP_IGNORE_LINKSTATE))
		return false;

	by_type = rpf_by_type(res.type, flags);
	if (by_type >= 0)
		return by_type;
	/* Every path of a multipath route and of a nexthop group counts. */
	return fib_info_nh_uses_dev(res.fi, in);
}

static int rpf6_nh_uses_dev(struct fib6_nh *nh, void *in)
{
	return rpf_same_dev(nh->fib_nh_dev, in);
}

/* Does any nexthop of the route found lead back to @in? */
static bool rpf6_route_uses_dev(const struct fib6_result *res,
				struct net_device *in)
{
	struct fib6_info *f6i = res->f6i, *sib;

	if (rpf_same_dev(res->nh->fib_nh_dev, in))
		return true;
	if (f6i->nh)
		return nexthop_for_each_fib6_nh(f6i->nh, rpf6_nh_uses_dev, in);
	if (!READ_ONCE(f6i->fib6_nsiblings))
		return false;
	list_for_each_entry_rcu(sib, &f6i->fib6_siblings, fib6_siblings) {
		if (rpf_same_dev(sib->fib6_nh->fib_nh_dev, in))
			return true;
	}
	return false;
}

static bool rpf6_check(const struct sk_buff *skb, struct net_device *in,
		       struct net *net, u8 flags)
{
	const struct ipv6hdr *ip6h = ipv6_hdr(skb);
	int lookup = RT6_LOOKUP_F_IGNORE_LINKSTATE;
	struct fib6_result res = {};
	int src_type, oif = 0;
	int by_type;
	struct flowi6 fl6 = {
		.flowi6_iif = LOOPBACK_IFINDEX,
		.flowi6_l3mdev = rpf_vrf_of(in),
		.flowlabel = ip6_flowinfo(ip6h),
		.flowi6_proto = ip6h->nexthdr,
		.flowi6_uid = rpf_uid(net, fib6_has_custom_rules(net)),
		.daddr = ip6h->saddr,
	};

	src_type = ipv6_addr_type(&ip6h->saddr);
	if (src_type == IPV6_ADDR_ANY) {
		/* DAD and MLD from a host without an address yet. */
		return ipv6_addr_is_multicast(&ip6h->daddr) &&
		       IPV6_ADDR_MC_SCOPE(&ip6h->daddr) <=
		       IPV6_ADDR_SCOPE_LINKLOCAL;
	}

	if (ipv6_addr_type(&ip6h->daddr) & IPV6_ADDR_UNICAST) {
		fl6.saddr = ip6h->daddr;
		lookup |= RT6_LOOKUP_F_HAS_SADDR;
	}
	if (flags & XT_RPFILTER_VALID_MARK)
		fl6.flowi6_mark = skb->mark;
	/* A link-local source only exists on the link it came from. */
	if (src_type & IPV6_ADDR_LINKLOCAL) {
		oif = in->ifindex;
		fl6.flowi6_oif = oif;
		lookup |= RT6_LOOKUP_F_IFACE;
	}

	if (ipv6_stub->fib6_lookup(net, oif, &fl6, &res, lookup) ||
	    !res.f6i || res.f6i == net->ipv6.fib6_null_entry || !res.nh)
		return false;
	if (res.fib6_flags & (RTF_REJECT | RTF_ANYCAST))
		return false;

	by_type = rpf_by_type(res.fib6_type, flags);
	if (by_type >= 0)
		return by_type;
	return rpf6_route_uses_dev(&res, in);
}

static bool rpfilter_mt4(const struct sk_buff *skb,
			 struct xt_action_param *par)
{
	const struct xt_rpfilter_info *info = par->matchinfo;
	bool invert = info->flags & XT_RPFILTER_INVERT;
	const struct net_device *in = xt_in(par);

	if (rpf_is_loopback(skb, in))
		return !invert;
	return rpf4_check(skb, in, xt_net(par), info->flags) ^ invert;
}

static bool rpfilter_mt6(const struct sk_buff *skb,
			 struct xt_action_param *par)
{
	const struct xt_rpfilter_info *info = par->matchinfo;
	bool invert = info->flags & XT_RPFILTER_INVERT;
	struct net_device *in = par->state->in;

	if (rpf_is_loopback(skb, in))
		return !invert;
	return rpf6_check(skb, in, xt_net(par), info->flags) ^ invert;
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
