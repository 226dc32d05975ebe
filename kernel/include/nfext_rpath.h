/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nfext reverse-path core: the one route decision behind `-m rpfilter`
 * (kernel/xt_rpfilter) and the `fib` expression (kernel/nft_fib), IPv4 and
 * IPv6. It follows the lookups of mainline's net/ipv4/netfilter/ipt_rpfilter.c,
 * net/ipv6/netfilter/ip6t_rpfilter.c and net/{ipv4,ipv6}/netfilter/nft_fib_ipv*.c
 * and differs from them in this:
 *  - one semantics for both users: the lookup ignores link state, uses the
 *    table of the input device's VRF, counts every nexthop of a multipath
 *    route and of a nexthop group (IPv6 too, VRF members included), and
 *    only unicast routes lead back (a local one with --accept-local);
 *  - IPv6 takes no referenced dst: fib6_lookup() fills a fib6_result under
 *    RCU, as ip6t_rpfilter does since 6.2;
 *  - two uRPF modes mainline has not (RFC 3704): "feasible" (any route of
 *    the most specific prefix covering the source, whatever its metric,
 *    leads back through the device: Juniper's feasible-paths) and
 *    "no default" (a route of prefix length 0 does not count: FreeBSD's
 *    versrcreach, Cisco's uRPF without allow-default).
 *
 * Shared source, not a module: every function here is static inline, each
 * user compiles in what it calls. A core module would need its symbols
 * resolved across kbuild directories (KBUILD_EXTRA_SYMBOLS) and loaded
 * before both users everywhere (tests, packaging, dkms); a header keeps
 * both modules self-contained with the same code. Nothing to load first.
 *
 * The two entry points, nfext_rpath4() and nfext_rpath6(), are always
 * inlined into their one call site per user: the parameter struct then
 * lives in registers and the match costs no more calls than a lookup of
 * its own (an out-of-line core made -m rpfilter 7-13% slower per match).
 *
 * Callers hold rcu_read_lock() (netfilter hooks do).
 */
#ifndef _NFEXT_RPATH_H
#define _NFEXT_RPATH_H

#include <linux/netdevice.h>
#include <linux/skbuff.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <net/inet_dscp.h>
#include <net/ip.h>
#include <net/ip_fib.h>
#include <net/ipv6.h>
#include <net/ip6_fib.h>
#include <net/ip6_route.h>
#include <net/ipv6_stubs.h>
#include <net/l3mdev.h>
#include <net/nexthop.h>
#include <net/route.h>

/* How a route back is judged (struct nfext_rpath.flags). */
#define NFEXT_RPATH_FEASIBLE	BIT(0)	/* any route of the best prefix */
#define NFEXT_RPATH_NO_DEFAULT	BIT(1)	/* prefix length 0 does not count */
#define NFEXT_RPATH_LOCAL	BIT(2)	/* a local route passes */
#define NFEXT_RPATH_ANY_TYPE	BIT(3)	/* broadcast/multicast routes count
					 * (nft's forward lookups, daddr)
					 */

/* One lookup: the route to daddr, as if answering the packet. */
struct nfext_rpath {
	struct net *net;
	/* the route must lead through it; NULL: any route will do (loose) */
	const struct net_device *dev;
	/* the input device: its VRF's table is looked up */
	const struct net_device *in;
	/* where an IPv6 link-local address is looked up */
	const struct net_device *link;
	int iif;	/* flowi iif, 0 for LOOPBACK_IFINDEX */
	u32 mark;
	u32 flags;	/* NFEXT_RPATH_* */
};

/* The VRF whose table holds the route back: none for most devices. */
static inline int nfext_rpath_vrf(const struct net_device *in)
{
	if (!in || (!netif_is_l3_master(in) && !netif_is_l3_slave(in)))
		return 0;
	return l3mdev_master_ifindex_rcu(in);
}

/*
 * Does a nexthop through @out lead back to @in? Either it is the same
 * device, or @in is a VRF device and @out one of its members (VRF input
 * runs the hooks a second time with the VRF device as input).
 */
static inline bool nfext_rpath_same_dev(const struct net_device *out,
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
static inline kuid_t nfext_rpath_uid(struct net *net, bool custom_rules)
{
	return custom_rules ? sock_net_uid(net, NULL) : GLOBAL_ROOT_UID;
}

/* Traffic looped back by this host never has a reverse path to check. */
static inline bool nfext_rpath_loopback(const struct sk_buff *skb,
					const struct net_device *in)
{
	return skb->pkt_type == PACKET_LOOPBACK ||
	       (in && (in->flags & IFF_LOOPBACK));
}

/* A DHCP client without an address: 0.0.0.0 to broadcast or 224.0.0.x. */
static inline bool nfext_rpath4_unsourced_ok(__be32 saddr, __be32 daddr)
{
	return ipv4_is_zeronet(saddr) &&
	       (ipv4_is_lbcast(daddr) || ipv4_is_local_multicast(daddr));
}

/*
 * A packet from :: has no route back. DAD and MLD of a host without an
 * address yet pass: they go to a link-scope (or narrower) multicast group.
 */
static inline bool nfext_rpath6_unsourced_ok(const struct in6_addr *daddr)
{
	return ipv6_addr_is_multicast(daddr) &&
	       IPV6_ADDR_MC_SCOPE(daddr) <= IPV6_ADDR_SCOPE_LINKLOCAL;
}

/*
 * What the type of the route back decides: 1 pass, 0 fail, -1 it depends
 * on the route's device(s). Blackhole, unreachable, prohibit and throw
 * never get here (the lookup fails); anycast fails.
 */
static inline int nfext_rpath_by_type(unsigned int type, u32 flags)
{
	switch (type) {
	case RTN_UNICAST:
		return -1;
	case RTN_LOCAL:
		return !!(flags & NFEXT_RPATH_LOCAL);
	case RTN_BROADCAST:
	case RTN_MULTICAST:
		return flags & NFEXT_RPATH_ANY_TYPE ? -1 : 0;
	default:
		return 0;
	}
}

/* The answer for a route that passes by its type alone. */
static inline const struct net_device *
nfext_rpath_pass(const struct nfext_rpath *rp)
{
	return rp->dev ? rp->dev : rp->in;
}

/* Only a unicast address makes sense as the source of a lookup. */
static inline __be32 nfext_rpath4_src(__be32 addr)
{
	if (ipv4_is_multicast(addr) || ipv4_is_lbcast(addr) ||
	    ipv4_is_zeronet(addr))
		return 0;
	return addr;
}

/*
 * The head of struct fib_alias of net/ipv4/fib_lookup.h (Debian 12's 6.1),
 * which no public header declares: fib_table_lookup() hands out the leaf's
 * alias list in fib_result.fa_head. Only these first members are read.
 */
struct nfext_rpath_fib_alias {
	struct hlist_node	fa_list;
	struct fib_info		*fa_info;
	dscp_t			fa_dscp;
	u8			fa_type;
	u8			fa_state;
	u8			fa_slen;
	u32			tb_id;
};

/*
 * Feasible path, IPv4: does any unicast route of the prefix the lookup
 * found (same table, same length, any metric: the trie keeps each metric
 * as its own alias of the leaf, most specific prefixes first) lead back
 * through @dev?
 */
static inline bool nfext_rpath4_feasible(const struct fib_result *res,
					 u8 tos, const struct net_device *dev)
{
	const struct nfext_rpath_fib_alias *fa;
	u8 slen = 32 - res->prefixlen;

	if (!res->fa_head || !res->table)
		return fib_info_nh_uses_dev(res->fi, dev);
	hlist_for_each_entry_rcu(fa, res->fa_head, fa_list) {
		struct fib_info *fi = fa->fa_info;

		if (fa->fa_slen != slen || fa->tb_id != res->table->tb_id ||
		    fa->fa_type != RTN_UNICAST)
			continue;
		if (fa->fa_dscp && inet_dscp_to_dsfield(fa->fa_dscp) != tos)
			continue;
		if (READ_ONCE(fi->fib_dead) || (fi->fib_flags & RTNH_F_DEAD))
			continue;
		if (fib_info_nh_uses_dev(fi, dev))
			return true;
	}
	return false;
}

/*
 * IPv4: look up @daddr (the packet's source for a reverse path check) from
 * @saddr and judge the route. Returns NULL when it fails, else the device
 * it leads through (@rp->dev when one was asked for).
 */
static __always_inline const struct net_device *
nfext_rpath4(const struct nfext_rpath *rp, __be32 daddr, __be32 saddr, u8 tos)
{
	struct net *net = rp->net;
	struct fib_result res;
	int by_type;
	struct flowi4 fl4 = {
		.flowi4_iif = rp->iif ? rp->iif : LOOPBACK_IFINDEX,
		.flowi4_l3mdev = nfext_rpath_vrf(rp->in),
		/* as the input route lookup of 6.1 masks it */
		.flowi4_tos = tos & IPTOS_RT_MASK,
		.flowi4_scope = RT_SCOPE_UNIVERSE,
		.flowi4_mark = rp->mark,
		.flowi4_uid = nfext_rpath_uid(net, fib4_has_custom_rules(net)),
		.daddr = daddr,
		.saddr = nfext_rpath4_src(saddr),
	};

	if (fib_lookup(net, &fl4, &res, FIB_LOOKUP_IGNORE_LINKSTATE))
		return NULL;
	if ((rp->flags & NFEXT_RPATH_NO_DEFAULT) && !res.prefixlen)
		return NULL;
	by_type = nfext_rpath_by_type(res.type, rp->flags);
	if (by_type >= 0)
		return by_type ? nfext_rpath_pass(rp) : NULL;
	if (!rp->dev)
		return FIB_RES_DEV(res);
	if (rp->flags & NFEXT_RPATH_FEASIBLE)
		return nfext_rpath4_feasible(&res, fl4.flowi4_tos, rp->dev) ?
		       rp->dev : NULL;
	/* every path of a multipath route and of a nexthop group counts */
	return fib_info_nh_uses_dev(res.fi, rp->dev) ? rp->dev : NULL;
}

static inline int nfext_rpath6_nh_uses_dev(struct fib6_nh *nh, void *dev)
{
	return nfext_rpath_same_dev(nh->fib_nh_dev, dev);
}

/* Does one route (its nexthop, or any of its nexthop group) use @dev? */
static inline bool nfext_rpath6_f6i_uses_dev(struct fib6_info *f6i,
					     const struct net_device *dev)
{
	if (f6i->nh)
		return nexthop_for_each_fib6_nh(f6i->nh,
						nfext_rpath6_nh_uses_dev,
						(void *)dev);
	return nfext_rpath_same_dev(f6i->fib6_nh->fib_nh_dev, dev);
}

/* Strict, IPv6: does any nexthop of the route found lead back to @dev? */
static inline bool nfext_rpath6_uses_dev(const struct fib6_result *res,
					 const struct net_device *dev)
{
	struct fib6_info *sib;

	if (nfext_rpath_same_dev(res->nh->fib_nh_dev, dev))
		return true;
	if (res->f6i->nh)
		return nfext_rpath6_f6i_uses_dev(res->f6i, dev);
	if (!READ_ONCE(res->f6i->fib6_nsiblings))
		return false;
	list_for_each_entry_rcu(sib, &res->f6i->fib6_siblings, fib6_siblings)
		if (nfext_rpath_same_dev(sib->fib6_nh->fib_nh_dev, dev))
			return true;
	return false;
}

/*
 * Feasible path, IPv6: every route of one prefix sits on the leaf list of
 * its fib6_node, ordered by metric (multipath siblings included).
 */
static inline bool nfext_rpath6_feasible(struct net *net,
					 const struct fib6_result *res,
					 const struct net_device *dev)
{
	struct fib6_info *iter;
	struct fib6_node *fn;

	fn = rcu_dereference(res->f6i->fib6_node);
	if (!fn)
		return nfext_rpath6_uses_dev(res, dev);
	for (iter = rcu_dereference(fn->leaf); iter;
	     iter = rcu_dereference(iter->fib6_next)) {
		if (iter == net->ipv6.fib6_null_entry ||
		    iter->fib6_type != RTN_UNICAST ||
		    (iter->fib6_flags & (RTF_REJECT | RTF_ANYCAST | RTF_LOCAL)) ||
		    fib6_check_expired(iter))
			continue;
		if (nfext_rpath6_f6i_uses_dev(iter, dev))
			return true;
	}
	return false;
}

/* IPv6: as nfext_rpath4(); @proto and @flowlabel are for fib rules. */
static __always_inline const struct net_device *
nfext_rpath6(const struct nfext_rpath *rp, const struct in6_addr *daddr,
	     const struct in6_addr *saddr, __be32 flowlabel, u8 proto)
{
	int lookup = RT6_LOOKUP_F_IGNORE_LINKSTATE, oif = 0;
	struct net *net = rp->net;
	struct fib6_result res = {};
	int by_type;
	struct flowi6 fl6 = {
		.flowi6_iif = rp->iif ? rp->iif : LOOPBACK_IFINDEX,
		.flowi6_l3mdev = nfext_rpath_vrf(rp->in),
		.flowlabel = flowlabel,
		.flowi6_proto = proto,
		.flowi6_mark = rp->mark,
		.flowi6_uid = nfext_rpath_uid(net, fib6_has_custom_rules(net)),
		.daddr = *daddr,
	};

	if (ipv6_addr_type(saddr) & IPV6_ADDR_UNICAST) {
		fl6.saddr = *saddr;
		lookup |= RT6_LOOKUP_F_HAS_SADDR;
	}
	/* a link-local address only exists on its link */
	if ((ipv6_addr_type(daddr) & IPV6_ADDR_LINKLOCAL) && rp->link) {
		oif = rp->link->ifindex;
		fl6.flowi6_oif = oif;
		lookup |= RT6_LOOKUP_F_IFACE;
	}

	if (ipv6_stub->fib6_lookup(net, oif, &fl6, &res, lookup) ||
	    !res.f6i || res.f6i == net->ipv6.fib6_null_entry || !res.nh)
		return NULL;
	if (res.fib6_flags & (RTF_REJECT | RTF_ANYCAST))
		return NULL;
	if ((rp->flags & NFEXT_RPATH_NO_DEFAULT) && !res.f6i->fib6_dst.plen)
		return NULL;
	by_type = nfext_rpath_by_type(res.fib6_type, rp->flags);
	if (by_type >= 0)
		return by_type ? nfext_rpath_pass(rp) : NULL;
	if (!rp->dev)
		return res.nh->fib_nh_dev;
	if (rp->flags & NFEXT_RPATH_FEASIBLE)
		return nfext_rpath6_feasible(net, &res, rp->dev) ?
		       rp->dev : NULL;
	return nfext_rpath6_uses_dev(&res, rp->dev) ? rp->dev : NULL;
}

#endif /* _NFEXT_RPATH_H */
