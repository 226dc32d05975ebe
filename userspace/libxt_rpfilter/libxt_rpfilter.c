// SPDX-License-Identifier: GPL-2.0
/*
 * libxt_rpfilter: iptables/ip6tables plugin for nfext's rpfilter match.
 * Same options, same binary layout and same save format as the stock
 * plugin, so rules move freely between the two.
 */
#include <stdbool.h>
#include <stdio.h>
#include <xtables.h>
#include "xt_rpfilter.h"

enum {
	O_LOOSE,
	O_VALIDMARK,
	O_ACCEPT_LOCAL,
	O_INVERT,
	O_FEASIBLE,
	O_NO_DEFAULT,
};

/* Option id -> kernel flag; also the print/save order. */
static const struct {
	const char *name;
	unsigned int flag;
} rpf_flags[] = {
	[O_LOOSE]	 = { "loose",	     XT_RPFILTER_LOOSE },
	[O_VALIDMARK]	 = { "validmark",    XT_RPFILTER_VALID_MARK },
	[O_ACCEPT_LOCAL] = { "accept-local", XT_RPFILTER_ACCEPT_LOCAL },
	[O_INVERT]	 = { "invert",	     XT_RPFILTER_INVERT },
	[O_FEASIBLE]	 = { "feasible",     XT_RPFILTER_FEASIBLE },
	[O_NO_DEFAULT]	 = { "no-default",   XT_RPFILTER_NO_DEFAULT },
};

static const struct xt_option_entry rpf_opts[] = {
	{ .name = "loose",	  .id = O_LOOSE,	.type = XTTYPE_NONE,
	  .excl = 1 << O_FEASIBLE },
	{ .name = "validmark",	  .id = O_VALIDMARK,	.type = XTTYPE_NONE },
	{ .name = "accept-local", .id = O_ACCEPT_LOCAL,	.type = XTTYPE_NONE },
	{ .name = "invert",	  .id = O_INVERT,	.type = XTTYPE_NONE },
	{ .name = "feasible",	  .id = O_FEASIBLE,	.type = XTTYPE_NONE,
	  .excl = 1 << O_LOOSE },
	{ .name = "no-default",	  .id = O_NO_DEFAULT,	.type = XTTYPE_NONE },
	XTOPT_TABLEEND,
};

static void rpf_help(void)
{
	printf(
"rpfilter match options (nfext; strict by default: the route back to the\n"
"source must leave through the input interface, any multipath nexthop counts):\n"
"    --loose          any unicast route back to the source will do\n"
"    --validmark      use the packet mark in the reverse route lookup\n"
"    --accept-local   let packets from a local address pass\n"
"    --invert         match the packets that fail the check\n"
"    --feasible       any route of the most specific prefix covering the\n"
"                     source may lead back through the input interface,\n"
"                     whatever its metric (not with --loose)\n"
"    --no-default     a default route (prefix length 0) is no route back\n");
}

static void rpf_parse(struct xt_option_call *cb)
{
	struct xt_rpfilter_info *info = cb->data;

	/* Refuses repeated options and "!" with iptables' usual errors. */
	xtables_option_parse(cb);
	info->flags |= rpf_flags[cb->entry->id].flag;
}

static void rpf_print_flags(const struct xt_rpfilter_info *info,
			    const char *prefix)
{
	unsigned int i;

	for (i = 0; i < sizeof(rpf_flags) / sizeof(rpf_flags[0]); i++)
		if (info->flags & rpf_flags[i].flag)
			printf(" %s%s", prefix, rpf_flags[i].name);
	if (info->flags & ~XT_RPFILTER_ALL_FLAGS)
		printf(" %sunknown-flags-0x%02x", prefix,
		       info->flags & ~XT_RPFILTER_ALL_FLAGS);
}

static void rpf_print(const void *ip, const struct xt_entry_match *match,
		      int numeric)
{
	(void)ip;
	(void)numeric;
	printf(" rpfilter");
	rpf_print_flags((const void *)match->data, "");
}

static void rpf_save(const void *ip, const struct xt_entry_match *match)
{
	(void)ip;
	rpf_print_flags((const void *)match->data, "--");
}

/*
 * nft's fib expression does the same lookup: "fib saddr . iif oif" is the
 * strict check, without ". iif" the loose one, ". mark" adds the mark;
 * nfext's nft_fib spells --feasible and --no-default as the keys
 * ". feasible" and ". no-default" (after the others, as nft prints flags).
 * "--accept-local" is an OR of two tests, which one nft match cannot say
 * unless inverted (a local source that fails is no failure).
 */
static int rpf_xlate(struct xt_xlate *xl,
		     const struct xt_xlate_mt_params *params)
{
	const struct xt_rpfilter_info *info = (const void *)params->match->data;
	bool invert = info->flags & XT_RPFILTER_INVERT;

	if (info->flags & ~XT_RPFILTER_ALL_FLAGS)
		return 0;
	if (info->flags & XT_RPFILTER_ACCEPT_LOCAL) {
		if (!invert)
			return 0;
		xt_xlate_add(xl, "fib saddr type != local ");
	}
	xt_xlate_add(xl, "fib saddr ");
	if (info->flags & XT_RPFILTER_VALID_MARK)
		xt_xlate_add(xl, ". mark ");
	if (!(info->flags & XT_RPFILTER_LOOSE))
		xt_xlate_add(xl, ". iif ");
	if (info->flags & XT_RPFILTER_FEASIBLE)
		xt_xlate_add(xl, ". feasible ");
	if (info->flags & XT_RPFILTER_NO_DEFAULT)
		xt_xlate_add(xl, ". no-default ");
	xt_xlate_add(xl, invert ? "oif 0" : "oif != 0");
	return 1;
}

static struct xtables_match rpf_match = {
	.family		= NFPROTO_UNSPEC,
	.name		= "rpfilter",
	.revision	= 0,
	.version	= XTABLES_VERSION,
	.size		= XT_ALIGN(sizeof(struct xt_rpfilter_info)),
	.userspacesize	= XT_ALIGN(sizeof(struct xt_rpfilter_info)),
	.help		= rpf_help,
	.x6_parse	= rpf_parse,
	.x6_options	= rpf_opts,
	.print		= rpf_print,
	.save		= rpf_save,
	.xlate		= rpf_xlate,
};

static void __attribute__((constructor)) rpf_register(void)
{
	xtables_register_match(&rpf_match);
}
