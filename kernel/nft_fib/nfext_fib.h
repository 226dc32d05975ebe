/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nfext fib expression: what the core module (nft_fib) offers to the
 * per-family modules (nft_fib_ipv4, nft_fib_ipv6, nft_fib_inet,
 * nft_fib_netdev). The route decisions are the reverse-path core shared
 * with xt_rpfilter (kernel/include/nfext_rpath.h).
 */
#ifndef NFEXT_FIB_H
#define NFEXT_FIB_H

#include <linux/netdevice.h>
#include <linux/skbuff.h>
#include <net/sock.h>
#include <net/netfilter/nf_tables.h>
#include <nfext_nft_fib.h>
#include <nfext_rpath.h>

/* Private data of one fib expression in a rule. */
struct nfext_fib {
	u8	dreg;		/* destination register */
	u8	result;		/* enum nft_fib_result */
	bool	sk_fast;	/* the socket shortcut may answer this one */
	u32	flags;		/* enum nft_fib_flags */
};

extern const struct nla_policy nfext_fib_policy[NFTA_FIB_MAX + 1];

const struct nft_expr_ops *
nfext_fib_select(const struct nlattr * const tb[],
		 const struct nft_expr_ops *ops,
		 const struct nft_expr_ops *type_ops);
int nfext_fib_init(const struct nft_ctx *ctx, const struct nft_expr *expr,
		   const struct nlattr * const tb[]);
int nfext_fib_dump(struct sk_buff *skb, const struct nft_expr *expr,
		   bool reset);
int nfext_fib_validate(const struct nft_ctx *ctx, const struct nft_expr *expr);
int nfext_fib_netdev_validate(const struct nft_ctx *ctx,
			      const struct nft_expr *expr);
void nfext_fib_store_result(void *reg, const struct nfext_fib *priv,
			    const struct net_device *dev);
/* The socket shortcut. In the input hook, early demultiplexing has already
 * attached the established socket a packet belongs to. When that socket's
 * cached receive route is the one for this input device, and its own
 * cached route back to the peer (the packet's source) is still valid and
 * leaves through that same device, then the reverse lookup
 * `fib saddr . iif` would find exactly that route: its answer is the input
 * device. This only holds without policy routing (no fib rules besides the
 * defaults: the lookup then depends on the addresses only, routes with a
 * TOS selector aside) and for sockets not bound to a device; the families
 * check the addresses, the route type and that the route is still valid
 * (any change of the routing tables invalidates it). It answers the oif,
 * oifname and presence results of `fib saddr . iif` only: never the type
 * result, a lookup with the mark or one of the destination address.
 * The socket may be an IPv6 one talking IPv4 (v4-mapped): the families
 * check the family of the cached route.
 * Returns the socket when the shortcut may be tried, else NULL.
 */
static inline struct sock *nfext_fib_fast_sk(const struct nfext_fib *priv,
					     const struct nft_pktinfo *pkt)
{
	struct sock *sk = pkt->skb->sk;
	const struct net_device *in;

	/* netdev egress has the number of inet's input hook */
	if (!priv->sk_fast || !sk || nft_hook(pkt) != NF_INET_LOCAL_IN ||
	    nft_pf(pkt) == NFPROTO_NETDEV)
		return NULL;
	if (!sk_fullsock(sk) || sk->sk_bound_dev_if)
		return NULL;
	in = nft_in(pkt);
	if (!in || READ_ONCE(sk->sk_rx_dst_ifindex) != in->ifindex)
		return NULL;
	return sk;
}

/* The lookup the rule asks for: the packet's device for `iif`, the
 * outgoing one for `oif`, no device otherwise.
 */
static inline const struct net_device *
nfext_fib_dev(const struct nfext_fib *priv, const struct nft_pktinfo *pkt)
{
	if (priv->flags & NFTA_FIB_F_IIF)
		return nft_in(pkt);
	if (priv->flags & NFTA_FIB_F_OIF)
		return nft_out(pkt);
	return NULL;
}

/* Packets that looped back through this host need no reverse path. */
static inline bool nfext_fib_loopback(const struct nft_pktinfo *pkt)
{
	return nfext_rpath_loopback(pkt->skb, nft_in(pkt));
}

/* The reverse-path core's request for this rule and packet: @dev is the
 * device the route must use (NULL: any).
 */
static inline void nfext_fib_rpath(struct nfext_rpath *rp,
				   const struct nfext_fib *priv,
				   const struct nft_pktinfo *pkt,
				   const struct net_device *dev)
{
	rp->net = nft_net(pkt);
	rp->dev = dev;
	rp->in = nft_in(pkt);
	rp->link = dev ? dev : pkt->skb->dev;
	rp->iif = 0;
	rp->mark = priv->flags & NFTA_FIB_F_MARK ? pkt->skb->mark : 0;
	rp->flags = 0;
	if (priv->flags & NFTA_FIB_F_FEASIBLE)
		rp->flags |= NFEXT_RPATH_FEASIBLE;
	if (priv->flags & NFTA_FIB_F_NODEFAULT)
		rp->flags |= NFEXT_RPATH_NO_DEFAULT;
	/* a lookup of the destination is no reverse path check */
	if (priv->flags & NFTA_FIB_F_DADDR)
		rp->flags |= NFEXT_RPATH_ANY_TYPE;
	else if (nft_hook(pkt) == NF_INET_FORWARD &&
		 (priv->flags & NFTA_FIB_F_IIF))
		rp->iif = nft_out(pkt)->ifindex;
}

/* Hooks where the packet has an input device but no route yet. */
static inline bool nfext_fib_before_routing(const struct nft_pktinfo *pkt)
{
	if (nft_pf(pkt) == NFPROTO_NETDEV)
		return true;
	return nft_hook(pkt) == NF_INET_PRE_ROUTING ||
	       nft_hook(pkt) == NF_INET_INGRESS;
}

void nfext_fib4_eval(const struct nft_expr *expr, struct nft_regs *regs,
		     const struct nft_pktinfo *pkt);
void nfext_fib4_eval_type(const struct nft_expr *expr, struct nft_regs *regs,
			  const struct nft_pktinfo *pkt);
void nfext_fib6_eval(const struct nft_expr *expr, struct nft_regs *regs,
		     const struct nft_pktinfo *pkt);
void nfext_fib6_eval_type(const struct nft_expr *expr, struct nft_regs *regs,
			  const struct nft_pktinfo *pkt);

#endif /* NFEXT_FIB_H */
