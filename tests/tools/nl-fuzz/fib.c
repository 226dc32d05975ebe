// SPDX-License-Identifier: GPL-2.0
/*
 * nl-fuzz fib: the fib expression's attributes, valid, random or mutated
 * (NFTA_FIB_DREG, NFTA_FIB_RESULT, NFTA_FIB_FLAGS: unknown flag bits and
 * results, wrong lengths, unknown, duplicated and nested attributes,
 * missing ones, random bytes), sometimes followed by a cmp on the register.
 */
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <linux/netfilter/nf_tables.h>

#include "nl-fuzz.h"

struct fib_attrs {
	uint32_t dreg, result, flags;
};

static void fib_valid(struct fib_attrs *a)
{
	static const uint32_t keys[] = { NFTA_FIB_F_SADDR, NFTA_FIB_F_DADDR };
	static const uint32_t ifs[] = { 0, NFTA_FIB_F_IIF, NFTA_FIB_F_OIF };

	a->dreg = below(3) ? NFT_REG32_00 + below(16) : NFT_REG_1 + below(4);
	a->result = NFT_FIB_RESULT_OIF + below(3);
	a->flags = keys[below(2)] | ifs[below(3)];
	if (below(2))
		a->flags |= NFTA_FIB_F_MARK;
	if (below(3) == 0)
		a->flags |= NFTA_FIB_F_PRESENT;
}

/* An attribute of a wrong length (0-7 bytes, never 4). */
static void put_short(struct nlmsghdr *nlh, uint16_t type)
{
	unsigned char junk[8];
	size_t len = below(8);

	if (len == 4)
		len = 5;
	random_bytes(junk, sizeof(junk));
	mnl_attr_put(nlh, type, len, junk);
}

static void put_nested_garbage(struct nlmsghdr *nlh, uint16_t type)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, type);
	unsigned int i, n = below(4);
	unsigned char junk[24];

	for (i = 0; i < n; i++) {
		random_bytes(junk, sizeof(junk));
		mnl_attr_put(nlh, below(8), below(sizeof(junk) + 1), junk);
	}
	mnl_attr_nest_end(nlh, nest);
}

static void fib_data(struct nlmsghdr *nlh, struct fib_attrs *a)
{
	static const uint16_t types[] = { NFTA_FIB_DREG, NFTA_FIB_RESULT, NFTA_FIB_FLAGS };
	unsigned int how = below(10), i;
	uint32_t *vals[] = { &a->dreg, &a->result, &a->flags };
	unsigned char junk[64];
	size_t start;

	fib_valid(a);
	switch (how) {
	case 1:			/* random values */
		for (i = 0; i < 3; i++)
			if (below(2))
				*vals[i] = below(2) ? rnd() : below(40);
		break;
	case 2:			/* unknown flag bits */
		a->flags |= 1U << (6 + below(26));
		break;
	case 3:			/* unknown result */
		a->result = below(2) ? 0 : NFT_FIB_RESULT_ADDRTYPE + 1 + below(1000);
		break;
	case 4:			/* the forbidden combinations */
		a->flags |= below(2) ? NFTA_FIB_F_SADDR | NFTA_FIB_F_DADDR :
			    NFTA_FIB_F_IIF | NFTA_FIB_F_OIF;
		if (below(3) == 0)
			a->flags &= ~(NFTA_FIB_F_SADDR | NFTA_FIB_F_DADDR);
		break;
	}
	if (how == 9) {		/* raw random bytes for the whole data */
		size_t len = below(sizeof(junk) + 1);

		random_bytes(junk, len);
		mnl_attr_put(nlh, NFTA_EXPR_DATA, len, junk);
		return;
	}
	{
		struct nlattr *nest = mnl_attr_nest_start(nlh, NFTA_EXPR_DATA);

		start = nlh->nlmsg_len;
		for (i = 0; i < 3; i++) {
			if (how == 5 && below(3) == 0)
				continue;			/* missing */
			if (how == 6 && below(3) == 0)
				put_short(nlh, types[i]);	/* wrong length */
			else if (how == 7 && below(3) == 0)
				put_nested_garbage(nlh, types[i] | (below(2) ? NLA_F_NESTED : 0));
			else
				mnl_attr_put_u32(nlh, types[i], htonl(*vals[i]));
			if (how == 7 && below(4) == 0)	/* duplicated */
				mnl_attr_put_u32(nlh, types[i], htonl(rnd()));
		}
		if (how == 7 && below(2))		/* unknown attribute */
			put_nested_garbage(nlh, NFTA_FIB_FLAGS + 1 + below(12));
		if (how == 8)		/* bytes flipped inside the nest */
			mutate((char *)nlh + start, nlh->nlmsg_len - start, 1 + below(3));
		mnl_attr_nest_end(nlh, nest);
	}
}

static void cmp_after(struct nlmsghdr *nlh, const struct fib_attrs *a)
{
	struct nlattr *elem, *data, *value;
	unsigned char v[IFNAMSIZ];
	size_t len = a->result == NFT_FIB_RESULT_OIFNAME ? IFNAMSIZ : 4;

	memset(v, 0, sizeof(v));
	if (below(2))
		v[0] = 1;
	elem = mnl_attr_nest_start(nlh, NFTA_LIST_ELEM);
	mnl_attr_put_strz(nlh, NFTA_EXPR_NAME, "cmp");
	data = mnl_attr_nest_start(nlh, NFTA_EXPR_DATA);
	mnl_attr_put_u32(nlh, NFTA_CMP_SREG, htonl(a->dreg));
	mnl_attr_put_u32(nlh, NFTA_CMP_OP, htonl(below(2) ? NFT_CMP_EQ : NFT_CMP_NEQ));
	value = mnl_attr_nest_start(nlh, NFTA_CMP_DATA);
	mnl_attr_put(nlh, NFTA_DATA_VALUE, len, v);
	mnl_attr_nest_end(nlh, value);
	mnl_attr_nest_end(nlh, data);
	mnl_attr_nest_end(nlh, elem);
}

void fib_rule_exprs(struct nlmsghdr *nlh)
{
	struct nlattr *list, *elem;
	struct fib_attrs a;

	list = mnl_attr_nest_start(nlh, NFTA_RULE_EXPRESSIONS);
	elem = mnl_attr_nest_start(nlh, NFTA_LIST_ELEM);
	mnl_attr_put_strz(nlh, NFTA_EXPR_NAME, "fib");
	{
		size_t start = nlh->nlmsg_len, i, at = 0;

		fib_data(nlh, &a);
		for (i = start; fz_verbose && i < nlh->nlmsg_len && at + 4 < sizeof(fz_desc); i++)
			at += snprintf(fz_desc + at, sizeof(fz_desc) - at, " %02x",
				       ((unsigned char *)nlh)[i]);
	}
	mnl_attr_nest_end(nlh, elem);
	if (below(2))
		cmp_after(nlh, &a);
	mnl_attr_nest_end(nlh, list);
}
