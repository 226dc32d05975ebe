// SPDX-License-Identifier: GPL-2.0
/*
 * nfext xt_CT: the raw table's CT and NOTRACK targets.
 *
 * A CT rule owns a conntrack template (zone, helper, event masks, timeout
 * policy) that it attaches to every packet without a conntrack entry yet;
 * conntrack then creates the flow from the template. NOTRACK and
 * --notrack mark the packet untracked instead.
 *
 * Revisions 1 and 2 report their whole user-visible part to userspace:
 * .usersize ends at the ct pointer of struct xt_ct_target_info_v1. (Linux
 * 6.1 uses the revision 0 offset there, so only 4 bytes of the timeout
 * policy name reach iptables -S/-save, and iptables-legacy cannot change
 * the table afterwards.)
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/skbuff.h>
#include <linux/netfilter/x_tables.h>
#include <linux/netfilter_ipv4/ip_tables.h>
#include <linux/netfilter_ipv6/ip6_tables.h>
#include <linux/netfilter/xt_CT.h>
#include <net/netfilter/nf_conntrack.h>
#include <net/netfilter/nf_conntrack_ecache.h>
#include <net/netfilter/nf_conntrack_helper.h>
#include <net/netfilter/nf_conntrack_l4proto.h>
#include <net/netfilter/nf_conntrack_timeout.h>
#include <net/netfilter/nf_conntrack_zones.h>

#include "xt_CT_nfq.h"

/* Give an untracked packet the rule's template, or mark it untracked. */
static unsigned int ct_attach(struct sk_buff *skb, struct nf_conn *tmpl)
{
	/* a packet that has an entry already (looped back) keeps it */
	if (skb->_nfct)
		return XT_CONTINUE;

	if (!tmpl) {
		nf_ct_set(skb, NULL, IP_CT_UNTRACKED);
		return XT_CONTINUE;
	}
	nf_conntrack_get(&tmpl->ct_general);
	nf_ct_set(skb, tmpl, IP_CT_NEW);
	return XT_CONTINUE;
}

static unsigned int ct_tg_v0(struct sk_buff *skb,
			     const struct xt_action_param *par)
{
	const struct xt_ct_target_info *info = par->targinfo;

	return ct_attach(skb, info->ct);
}

static unsigned int ct_tg_v1(struct sk_buff *skb,
			     const struct xt_action_param *par)
{
	const struct xt_ct_target_info_v1 *info = par->targinfo;

	return ct_attach(skb, info->ct);
}

static unsigned int notrack_tg(struct sk_buff *skb,
			       const struct xt_action_param *par)
{
	return ct_attach(skb, NULL);
}

/* The rule's layer 4 protocol, 0 when it has none or an inverted one. */
static u8 ct_rule_proto(const struct xt_tgchk_param *par)
{
	const struct ip6t_entry *e6;
	const struct ipt_entry *e4;

	switch (par->family) {
	case NFPROTO_IPV4:
		e4 = par->entryinfo;
		return e4->ip.invflags & IPT_INV_PROTO ? 0 : e4->ip.proto;
	case NFPROTO_IPV6:
		e6 = par->entryinfo;
		return e6->ipv6.invflags & IP6T_INV_PROTO ? 0 : e6->ipv6.proto;
	}
	return 0;
}

static int ct_add_helper(struct nf_conn *tmpl, const char *name,
			 const struct xt_tgchk_param *par)
{
	struct nf_conntrack_helper *helper;
	struct nf_conn_help *help;
	u8 proto = ct_rule_proto(par);

	if (!proto) {
		pr_info_ratelimited("--helper needs a layer 4 protocol (-p), not inverted\n");
		return -ENOENT;
	}
	helper = nf_conntrack_helper_try_module_get(name, par->family, proto);
	if (!helper) {
		pr_info_ratelimited("no conntrack helper \"%s\"\n", name);
		return -ENOENT;
	}
	help = nf_ct_helper_ext_add(tmpl, GFP_KERNEL);
	if (!help) {
		nf_conntrack_helper_put(helper);
		return -ENOMEM;
	}
	rcu_assign_pointer(help->helper, helper);
	return 0;
}

/* Drop the helper reference of a template that never went live. */
static void ct_put_helper(struct nf_conn *tmpl)
{
	struct nf_conn_help *help = nfct_help(tmpl);
	struct nf_conntrack_helper *helper;

	if (!help)
		return;
	/* the template is private to this rule: no reader can race */
	helper = rcu_dereference_raw(help->helper);
	if (helper)
		nf_conntrack_helper_put(helper);
}

static int ct_add_timeout(struct nf_conn *tmpl, const char *name,
			  const struct xt_tgchk_param *par)
{
	const struct nf_conntrack_l4proto *l4proto;
	u8 proto;

	if (!IS_ENABLED(CONFIG_NF_CONNTRACK_TIMEOUT))
		return -EOPNOTSUPP;
	proto = ct_rule_proto(par);
	if (!proto) {
		pr_info_ratelimited("--timeout needs a layer 4 protocol (-p), not inverted\n");
		return -EINVAL;
	}
	l4proto = nf_ct_l4proto_find(proto);
	return nf_ct_set_timeout(par->net, tmpl, par->family,
				 l4proto->l4proto, name);
}

static u16 ct_zone_dir(u16 flags)
{
	switch (flags & (XT_CT_ZONE_DIR_ORIG | XT_CT_ZONE_DIR_REPL)) {
	case XT_CT_ZONE_DIR_ORIG:
		return NF_CT_ZONE_DIR_ORIG;
	case XT_CT_ZONE_DIR_REPL:
		return NF_CT_ZONE_DIR_REPL;
	}
	return NF_CT_DEFAULT_ZONE_DIR;
}

/* A name field must hold its terminating NUL. */
static bool ct_name_ok(const char *name, size_t size)
{
	return strnlen(name, size) < size;
}

/* Build the template of a rule; shared by every revision (v0 converted). */
static int ct_setup(const struct xt_tgchk_param *par,
		    struct xt_ct_target_info_v1 *info)
{
	struct nf_conntrack_zone zone = {};
	struct nf_conn *tmpl;
	int err;

	if (info->flags & XT_CT_NOTRACK) {
		info->ct = NULL;
		return 0;
	}
	if (!IS_ENABLED(CONFIG_NF_CONNTRACK_ZONES) &&
	    (info->zone || info->flags & (XT_CT_ZONE_DIR_ORIG |
					  XT_CT_ZONE_DIR_REPL |
					  XT_CT_ZONE_MARK)))
		return -EOPNOTSUPP;
	if (!ct_name_ok(info->helper, sizeof(info->helper)) ||
	    !ct_name_ok(info->timeout, sizeof(info->timeout)))
		return -ENAMETOOLONG;

	err = nf_ct_netns_get(par->net, par->family);
	if (err < 0)
		return err;

	zone.id = info->zone;
	zone.dir = ct_zone_dir(info->flags);
	if (info->flags & XT_CT_ZONE_MARK)
		zone.flags |= NF_CT_FLAG_MARK;

	tmpl = nf_ct_tmpl_alloc(par->net, &zone, GFP_KERNEL);
	if (!tmpl) {
		err = -ENOMEM;
		goto put_netns;
	}
	if ((info->ct_events || info->exp_events) &&
	    !nf_ct_ecache_ext_add(tmpl, info->ct_events, info->exp_events,
				  GFP_KERNEL)) {
		err = -EINVAL;
		goto free_tmpl;
	}
	if (info->helper[0]) {
		err = ct_add_helper(tmpl, info->helper, par);
		if (err < 0)
			goto free_tmpl;
	}
	if (info->timeout[0]) {
		err = ct_add_timeout(tmpl, info->timeout, par);
		if (err < 0)
			goto put_helper;
	}
	/* a template is never inserted into the table */
	__set_bit(IPS_CONFIRMED_BIT, &tmpl->status);
	info->ct = tmpl;
	return 0;

put_helper:
	ct_put_helper(tmpl);
free_tmpl:
	nf_ct_tmpl_free(tmpl);
put_netns:
	nf_ct_netns_put(par->net, par->family);
	return err;
}

static int ct_check_v0(const struct xt_tgchk_param *par)
{
	struct xt_ct_target_info *info = par->targinfo;
	struct xt_ct_target_info_v1 v1 = {
		.flags		= info->flags,
		.zone		= info->zone,
		.ct_events	= info->ct_events,
		.exp_events	= info->exp_events,
	};
	int err;

	if (info->flags & ~XT_CT_NOTRACK) {
		pr_info_ratelimited("revision 0: unknown flags 0x%x\n",
				    info->flags);
		return -EINVAL;
	}
	memcpy(v1.helper, info->helper, sizeof(info->helper));
	err = ct_setup(par, &v1);
	if (err)
		return err;
	info->ct = v1.ct;
	return 0;
}

/* Revisions 1 and 2 share their layout; 2 adds the flags beyond NOTRACK. */
static int ct_check_v1(const struct xt_tgchk_param *par)
{
	struct xt_ct_target_info_v1 *info = par->targinfo;
	u16 known = par->target->revision == 1 ? XT_CT_NOTRACK : XT_CT_MASK;

	if (info->flags & ~known) {
		pr_info_ratelimited("revision %u: unknown flags 0x%x\n",
				    par->target->revision, info->flags);
		return -EINVAL;
	}
	return ct_setup(par, info);
}

static void ct_teardown(const struct xt_tgdtor_param *par,
			struct nf_conn *tmpl, bool has_helper)
{
	if (!tmpl)
		return;
	/* queued packets may still point at the helper */
	if (has_helper)
		nf_queue_nf_hook_drop(par->net);
	ct_put_helper(tmpl);
	nf_ct_netns_put(par->net, par->family);
	nf_ct_destroy_timeout(tmpl);
	nf_ct_put(tmpl);
}

static void ct_destroy_v0(const struct xt_tgdtor_param *par)
{
	struct xt_ct_target_info *info = par->targinfo;

	ct_teardown(par, info->ct, info->helper[0]);
}

static void ct_destroy_v1(const struct xt_tgdtor_param *par)
{
	struct xt_ct_target_info_v1 *info = par->targinfo;

	ct_teardown(par, info->ct, info->helper[0]);
}

#define CT_V0(fam) {							\
	.name		= "CT",						\
	.revision	= 0,						\
	.family		= fam,						\
	.targetsize	= sizeof(struct xt_ct_target_info),		\
	.usersize	= offsetof(struct xt_ct_target_info, ct),	\
	.checkentry	= ct_check_v0,					\
	.destroy	= ct_destroy_v0,				\
	.target		= ct_tg_v0,					\
	.table		= "raw",					\
	.me		= THIS_MODULE,					\
}

#define CT_V1(fam, rev) {						\
	.name		= "CT",						\
	.revision	= rev,						\
	.family		= fam,						\
	.targetsize	= sizeof(struct xt_ct_target_info_v1),		\
	.usersize	= offsetof(struct xt_ct_target_info_v1, ct),	\
	.checkentry	= ct_check_v1,					\
	.destroy	= ct_destroy_v1,				\
	.target		= ct_tg_v1,					\
	.table		= "raw",					\
	.me		= THIS_MODULE,					\
}

#define NOTRACK(fam) {							\
	.name		= "NOTRACK",					\
	.revision	= 0,						\
	.family		= fam,						\
	.target		= notrack_tg,					\
	.table		= "raw",					\
	.me		= THIS_MODULE,					\
}

static struct xt_target ct_tg_reg[] __read_mostly = {
	NOTRACK(NFPROTO_IPV4),
	CT_V0(NFPROTO_IPV4),
	CT_V1(NFPROTO_IPV4, 1),
	CT_V1(NFPROTO_IPV4, 2),
#if IS_ENABLED(CONFIG_IP6_NF_IPTABLES)
	NOTRACK(NFPROTO_IPV6),
	CT_V0(NFPROTO_IPV6),
	CT_V1(NFPROTO_IPV6, 1),
	CT_V1(NFPROTO_IPV6, 2),
#endif
};

static int __init ct_tg_init(void)
{
	return xt_register_targets(ct_tg_reg, ARRAY_SIZE(ct_tg_reg));
}

static void __exit ct_tg_exit(void)
{
	xt_unregister_targets(ct_tg_reg, ARRAY_SIZE(ct_tg_reg));
}

module_init(ct_tg_init);
module_exit(ct_tg_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("nfext: Xtables CT and NOTRACK targets (conntrack templates)");
MODULE_ALIAS("ipt_CT");
MODULE_ALIAS("ip6t_CT");
MODULE_ALIAS("ipt_NOTRACK");
MODULE_ALIAS("ip6t_NOTRACK");
