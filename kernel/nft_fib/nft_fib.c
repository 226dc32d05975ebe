// SPDX-License-Identifier: GPL-2.0
/*
 * nfext fib expression, core: what every family shares. Parses and checks
 * the netlink attributes (NFTA_FIB_DREG, NFTA_FIB_RESULT, NFTA_FIB_FLAGS),
 * checks the hook a rule is attached to, dumps the expression back, stores
 * a lookup result in the destination register and decides whether the
 * socket of a received packet already answers the lookup. Follows
 * mainline's net/netfilter/nft_fib.c; differs in its messages for refused
 * rules, in checking the hook of every rule form, and in two flags of its
 * own (kernel/include/nfext_nft_fib.h: feasible, no-default).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/netlink.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <net/sock.h>
#include <net/netfilter/nf_tables.h>
#include "nfext_fib.h"

#define NFEXT_FIB_F_ALL (NFTA_FIB_F_SADDR | NFTA_FIB_F_DADDR | \
			 NFTA_FIB_F_MARK | NFTA_FIB_F_IIF | NFTA_FIB_F_OIF | \
			 NFTA_FIB_F_PRESENT | NFTA_FIB_F_FEASIBLE | \
			 NFTA_FIB_F_NODEFAULT)

/* The lengths are checked by nfext_fib_u32() so that a malformed attribute
 * is refused with -EINVAL and a message naming it.
 */
const struct nla_policy nfext_fib_policy[NFTA_FIB_MAX + 1] = {
	[NFTA_FIB_DREG]		= { .type = NLA_UNSPEC },
	[NFTA_FIB_RESULT]	= { .type = NLA_UNSPEC },
	[NFTA_FIB_FLAGS]	= { .type = NLA_UNSPEC },
};
EXPORT_SYMBOL_GPL(nfext_fib_policy);

static const char * const nfext_fib_attr_name[NFTA_FIB_MAX + 1] = {
	[NFTA_FIB_DREG]		= "destination register",
	[NFTA_FIB_RESULT]	= "result",
	[NFTA_FIB_FLAGS]	= "flags",
};

static int nfext_fib_u32(const struct nlattr * const tb[], int type, u32 *val)
{
	if (!tb[type]) {
		pr_info_ratelimited("the %s attribute is missing\n",
				    nfext_fib_attr_name[type]);
		return -EINVAL;
	}
	if (nla_len(tb[type]) != sizeof(u32)) {
		pr_info_ratelimited("the %s attribute is %d bytes long, not 4\n",
				    nfext_fib_attr_name[type],
				    nla_len(tb[type]));
		return -EINVAL;
	}
	*val = ntohl(nla_get_be32(tb[type]));
	return 0;
}

static int nfext_fib_result_of(const struct nlattr * const tb[], u32 *result)
{
	int err = nfext_fib_u32(tb, NFTA_FIB_RESULT, result);

	if (err)
		return err;
	switch (*result) {
	case NFT_FIB_RESULT_OIF:
	case NFT_FIB_RESULT_OIFNAME:
	case NFT_FIB_RESULT_ADDRTYPE:
		return 0;
	}
	pr_info_ratelimited("unknown result %u (oif, oifname and type exist)\n",
			    *result);
	return -EINVAL;
}

/*
 * The families' select_ops: @type_ops for "fib ... type" (the address type
 * lookup), @ops for the route lookups, an error for a missing or unknown
 * result.
 */
const struct nft_expr_ops *
nfext_fib_select(const struct nlattr * const tb[],
		 const struct nft_expr_ops *ops,
		 const struct nft_expr_ops *type_ops)
{
	u32 result;
	int err = nfext_fib_result_of(tb, &result);

	if (err)
		return ERR_PTR(err);
	return result == NFT_FIB_RESULT_ADDRTYPE ? type_ops : ops;
}
EXPORT_SYMBOL_GPL(nfext_fib_select);

static int nfext_fib_check_flags(u32 flags, u32 result)
{
	const u32 addr = flags & (NFTA_FIB_F_SADDR | NFTA_FIB_F_DADDR);
	const u32 dev = flags & (NFTA_FIB_F_IIF | NFTA_FIB_F_OIF);

	if (flags & ~NFEXT_FIB_F_ALL) {
		pr_info_ratelimited("unknown flag bits 0x%x\n",
				    flags & ~NFEXT_FIB_F_ALL);
		return -EINVAL;
	}
	if (!addr) {
		pr_info_ratelimited("neither saddr nor daddr given, one is needed\n");
		return -EINVAL;
	}
	if (addr == (NFTA_FIB_F_SADDR | NFTA_FIB_F_DADDR)) {
		pr_info_ratelimited("saddr and daddr given, only one is allowed\n");
		return -EINVAL;
	}
	if (dev == (NFTA_FIB_F_IIF | NFTA_FIB_F_OIF)) {
		pr_info_ratelimited("iif and oif given, at most one is allowed\n");
		return -EINVAL;
	}
	if ((flags & NFTA_FIB_F_OIF) && result != NFT_FIB_RESULT_ADDRTYPE) {
		pr_info_ratelimited("the oif flag only goes with the type result\n");
		return -EINVAL;
	}
	if ((flags & (NFTA_FIB_F_FEASIBLE | NFTA_FIB_F_NODEFAULT)) &&
	    result == NFT_FIB_RESULT_ADDRTYPE) {
		pr_info_ratelimited("feasible and no-default only go with the oif and oifname results\n");
		return -EINVAL;
	}
	if ((flags & NFTA_FIB_F_FEASIBLE) && !(flags & NFTA_FIB_F_IIF)) {
		pr_info_ratelimited("feasible needs iif (it is a strict mode: the route must lead through the input device)\n");
		return -EINVAL;
	}
	if ((flags & NFTA_FIB_F_PRESENT) && result != NFT_FIB_RESULT_OIF) {
		pr_info_ratelimited("exists/missing only goes with the oif result\n");
		return -EINVAL;
	}
	return 0;
}

int nfext_fib_init(const struct nft_ctx *ctx, const struct nft_expr *expr,
		   const struct nlattr * const tb[])
{
	struct nfext_fib *priv = nft_expr_priv(expr);
	u32 flags, result, reg;
	unsigned int len;
	int err;

	err = nfext_fib_result_of(tb, &result);
	if (err)
		return err;
	err = nfext_fib_u32(tb, NFTA_FIB_FLAGS, &flags);
	if (err)
		return err;
	err = nfext_fib_u32(tb, NFTA_FIB_DREG, &reg);
	if (err)
		return err;
	err = nfext_fib_check_flags(flags, result);
	if (err)
		return err;

	if (flags & NFTA_FIB_F_PRESENT)
		len = sizeof(u8);
	else if (result == NFT_FIB_RESULT_OIFNAME)
		len = IFNAMSIZ;
	else
		len = sizeof(u32);

	err = nft_parse_register_store(ctx, tb[NFTA_FIB_DREG], &priv->dreg,
				       NULL, NFT_DATA_VALUE, len);
	if (err) {
		pr_info_ratelimited("register %u cannot hold the %u-byte result\n",
				    reg, len);
		return -EINVAL;
	}
	priv->result = result;
	priv->flags = flags;
	/* The socket shortcut only answers "does the route back to the
	 * source leave through the input device" (see nfext_fib_fast_sk).
	 */
	priv->sk_fast = result != NFT_FIB_RESULT_ADDRTYPE &&
			(flags & ~NFTA_FIB_F_PRESENT) ==
			(NFTA_FIB_F_SADDR | NFTA_FIB_F_IIF);
	return 0;
}
EXPORT_SYMBOL_GPL(nfext_fib_init);

int nfext_fib_dump(struct sk_buff *skb, const struct nft_expr *expr,
		   bool reset)
{
	const struct nfext_fib *priv = nft_expr_priv(expr);

	if (nft_dump_register(skb, NFTA_FIB_DREG, priv->dreg) ||
	    nla_put_be32(skb, NFTA_FIB_RESULT, htonl(priv->result)) ||
	    nla_put_be32(skb, NFTA_FIB_FLAGS, htonl(priv->flags)))
		return -1;
	return 0;
}
EXPORT_SYMBOL_GPL(nfext_fib_dump);

static const char *nfext_fib_result_name(u8 result)
{
	switch (result) {
	case NFT_FIB_RESULT_OIF:
		return "oif";
	case NFT_FIB_RESULT_OIFNAME:
		return "oifname";
	default:
		return "type";
	}
}

/* Hook masks of the rules a fib expression may sit in. */
#define H(x) (1U << (x))
#define NFEXT_FIB_RX (H(NF_INET_PRE_ROUTING) | H(NF_INET_LOCAL_IN) | \
		      H(NF_INET_FORWARD) | H(NF_INET_INGRESS))
#define NFEXT_FIB_TX (H(NF_INET_LOCAL_OUT) | H(NF_INET_POST_ROUTING) | \
		      H(NF_INET_FORWARD))

static int nfext_fib_check_hook(const struct nft_ctx *ctx,
				const struct nfext_fib *priv,
				unsigned int rx, unsigned int tx)
{
	const struct nft_base_chain *basechain;
	unsigned int hook, allowed = rx | tx;
	const char *why = NULL;

	if (priv->flags & NFTA_FIB_F_IIF) {
		allowed &= rx;
		why = "iif needs an input device: prerouting, input, forward or ingress";
	} else if (priv->flags & NFTA_FIB_F_OIF) {
		allowed &= tx;
		why = "oif needs an output device: forward, output, postrouting or egress";
	}
	if (priv->result != NFT_FIB_RESULT_ADDRTYPE && !why) {
		allowed &= rx;
		why = "oif and oifname results need a received packet: prerouting, input, forward or ingress";
	}

	if (!nft_is_base_chain(ctx->chain))
		return 0;
	basechain = nft_base_chain(ctx->chain);
	hook = basechain->ops.hooknum;
	if (hook < 32 && (allowed & H(hook)))
		return 0;
	pr_info_ratelimited("%s %s refused in chain %s (hook %u): %s\n",
			    nfext_fib_result_name(priv->result),
			    priv->flags & NFTA_FIB_F_IIF ? "with iif" :
			    priv->flags & NFTA_FIB_F_OIF ? "with oif" : "lookup",
			    ctx->chain->name, hook,
			    why ? why : "no such hook");
	return -EINVAL;
}

int nfext_fib_validate(const struct nft_ctx *ctx, const struct nft_expr *expr)
{
	const struct nfext_fib *priv = nft_expr_priv(expr);

	switch (ctx->family) {
	case NFPROTO_IPV4:
	case NFPROTO_IPV6:
	case NFPROTO_INET:
		break;
	default:
		pr_info_ratelimited("family %u is not served here\n",
				    ctx->family);
		return -EINVAL;
	}
	return nfext_fib_check_hook(ctx, priv, NFEXT_FIB_RX, NFEXT_FIB_TX);
}
EXPORT_SYMBOL_GPL(nfext_fib_validate);

int nfext_fib_netdev_validate(const struct nft_ctx *ctx,
			      const struct nft_expr *expr)
{
	const struct nfext_fib *priv = nft_expr_priv(expr);

	return nfext_fib_check_hook(ctx, priv, H(NF_NETDEV_INGRESS),
				    H(NF_NETDEV_EGRESS));
}
EXPORT_SYMBOL_GPL(nfext_fib_netdev_validate);

void nfext_fib_store_result(void *reg, const struct nfext_fib *priv,
			    const struct net_device *dev)
{
	u32 *dreg = reg;

	if (priv->flags & NFTA_FIB_F_PRESENT) {
		nft_reg_store8(dreg, !!dev);
		return;
	}
	if (priv->result == NFT_FIB_RESULT_OIFNAME) {
		/* a whole IFNAMSIZ, zero-filled, so that names compare */
		if (dev)
			strscpy_pad(reg, dev->name, IFNAMSIZ);
		else
			memset(reg, 0, IFNAMSIZ);
		return;
	}
	*dreg = dev ? dev->ifindex : 0;
}
EXPORT_SYMBOL_GPL(nfext_fib_store_result);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("nfext: nftables fib expression, shared core");
