// SPDX-License-Identifier: GPL-2.0
/*
 * nl-fuzz compat and legacy: x_tables match and target blobs of nfext's
 * extensions (rpfilter, NFQUEUE, CT, NOTRACK), every revision and some that
 * do not exist, with valid-then-mutated, random, and wrongly sized data,
 * sent through nft_compat (NFTA_MATCH_INFO / NFTA_TARGET_INFO) or through
 * libiptc (the IPT_SO_SET_REPLACE / IP6T_SO_SET_REPLACE socket options).
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include <libiptc/libiptc.h>
#include <libiptc/libip6tc.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nf_tables_compat.h>
#include <linux/netfilter/x_tables.h>
#include <linux/netfilter/xt_CT.h>

#include "nl-fuzz.h"
#include "xt_NFQUEUE.h"
#include "xt_rpfilter.h"

#define BLOB_MAX 256

struct xt_ext {
	const char *name;
	int target;
	unsigned int revs;
	size_t size[4];
};

static const struct xt_ext exts[] = {
	{ "rpfilter", 0, 1, { sizeof(struct xt_rpfilter_info) } },
	{ "NFQUEUE", 1, 4, { sizeof(struct xt_NFQ_info), sizeof(struct xt_NFQ_info_v1),
			     sizeof(struct xt_NFQ_info_v2), sizeof(struct xt_NFQ_info_v3) } },
	{ "CT", 1, 3, { sizeof(struct xt_ct_target_info), sizeof(struct xt_ct_target_info_v1),
			sizeof(struct xt_ct_target_info_v1) } },
	{ "NOTRACK", 1, 1, { 0 } },
};

struct blob {
	const struct xt_ext *ext;
	unsigned int rev;
	size_t len;
	unsigned char data[BLOB_MAX];
};

/* A blob that would pass, before mutation: what iptables would send. */
static void blob_valid(struct blob *b)
{
	memset(b->data, 0, sizeof(b->data));
	if (!strcmp(b->ext->name, "rpfilter")) {
		b->data[0] = below(16);
	} else if (!strcmp(b->ext->name, "NFQUEUE")) {
		struct xt_NFQ_info_v3 *q = (void *)b->data;

		q->queuenum = below(4);
		if (b->rev >= 1)
			q->queues_total = 1 + below(4);
		if (b->rev >= 2)
			q->flags = below(b->rev == 3 ? 8 : 2);
	} else if (!strcmp(b->ext->name, "CT")) {
		struct xt_ct_target_info_v1 *ct = (void *)b->data;

		ct->flags = below(2) ? XT_CT_NOTRACK : 0;
		ct->zone = below(3);
	}
}

static void blob_make(struct blob *b)
{
	size_t size;

	b->ext = &exts[below(sizeof(exts) / sizeof(exts[0]))];
	/* an unknown revision makes the kernel run modprobe: now and then */
	b->rev = below(64) ? below(b->ext->revs) : below(256);
	size = b->ext->size[b->rev < b->ext->revs ? b->rev : 0];
	b->len = size;
	switch (below(3)) {
	case 0:		/* valid, then 0-2 bytes changed */
		blob_valid(b);
		mutate(b->data, b->len, below(3));
		break;
	case 1:		/* random bytes of the right size */
		random_bytes(b->data, b->len);
		break;
	default:	/* a size that does not match */
		b->len = below(2 * size + 17);
		if (b->len == size)
			b->len++;
		blob_valid(b);
		if (below(2))
			random_bytes(b->data, b->len);
		break;
	}
	/*
	 * A CT helper or timeout name makes the kernel run modprobe (helper
	 * autoload): mostly empty names, so the run stays fast.
	 */
	if (!strcmp(b->ext->name, "CT") && below(16)) {
		size_t from = offsetof(struct xt_ct_target_info_v1, helper);
		size_t to = offsetof(struct xt_ct_target_info_v1, ct);

		if (b->len > from)
			memset(b->data + from, 0, (b->len < to ? b->len : to) - from);
	}
}

static void blob_describe(const struct blob *b)
{
	size_t i, at;

	at = snprintf(fz_desc, sizeof(fz_desc), "%s rev %u len %zu:", b->ext->name,
		      b->rev, b->len);
	for (i = 0; i < b->len && at + 4 < sizeof(fz_desc); i++)
		at += snprintf(fz_desc + at, sizeof(fz_desc) - at, " %02x", b->data[i]);
}

void compat_rule_exprs(struct nlmsghdr *nlh, int family)
{
	struct nlattr *list, *elem, *data, *compat;
	struct blob b;
	int tg;

	blob_make(&b);
	tg = b.ext->target;
	if (fz_verbose)
		blob_describe(&b);
	if (below(4) == 0) {	/* the rule's protocol and inversion */
		uint32_t proto = below(2) ? 6 : rnd(), flags = below(2) ? 0 : rnd();
		size_t at = strlen(fz_desc);

		compat = mnl_attr_nest_start(nlh, NFTA_RULE_COMPAT);
		mnl_attr_put_u32(nlh, NFTA_RULE_COMPAT_PROTO, htonl(proto));
		mnl_attr_put_u32(nlh, NFTA_RULE_COMPAT_FLAGS, htonl(flags));
		mnl_attr_nest_end(nlh, compat);
		if (fz_verbose)
			snprintf(fz_desc + at, sizeof(fz_desc) - at,
				 " compat proto %u flags 0x%x", proto, flags);
	}
	(void)family;
	list = mnl_attr_nest_start(nlh, NFTA_RULE_EXPRESSIONS);
	elem = mnl_attr_nest_start(nlh, NFTA_LIST_ELEM);
	mnl_attr_put_strz(nlh, NFTA_EXPR_NAME, tg ? "target" : "match");
	data = mnl_attr_nest_start(nlh, NFTA_EXPR_DATA);
	/* NFTA_MATCH_* and NFTA_TARGET_* share their numbers */
	mnl_attr_put_strz(nlh, NFTA_MATCH_NAME, b.ext->name);
	switch (below(12)) {
	case 0:
		break;					/* revision missing */
	case 1:
		mnl_attr_put_u16(nlh, NFTA_MATCH_REV, b.rev);	/* short */
		break;
	default:
		mnl_attr_put_u32(nlh, NFTA_MATCH_REV, htonl(b.rev));
	}
	if (below(16))
		mnl_attr_put(nlh, NFTA_MATCH_INFO, b.len, b.data);
	mnl_attr_nest_end(nlh, data);
	mnl_attr_nest_end(nlh, elem);
	mnl_attr_nest_end(nlh, list);
}

/* libiptc's IPv4 and IPv6 halves share struct xtc_handle. */
struct legacy_ops {
	size_t hdr;
	struct xtc_handle *(*init)(const char *table);
	int (*append)(const char *chain, const void *e, struct xtc_handle *h);
	int (*flush)(const char *chain, struct xtc_handle *h);
	int (*commit)(struct xtc_handle *h);
	void (*free)(struct xtc_handle *h);
	void (*offsets)(void *e, size_t target_offset, size_t next_offset);
};

static int append4(const char *chain, const void *e, struct xtc_handle *h)
{
	return iptc_append_entry(chain, e, h);
}

static void offsets4(void *e, size_t t, size_t n)
{
	((struct ipt_entry *)e)->target_offset = t;
	((struct ipt_entry *)e)->next_offset = n;
}

static int append6(const char *chain, const void *e, struct xtc_handle *h)
{
	return ip6tc_append_entry(chain, e, h);
}

static void offsets6(void *e, size_t t, size_t n)
{
	((struct ip6t_entry *)e)->target_offset = t;
	((struct ip6t_entry *)e)->next_offset = n;
}

static const struct legacy_ops ops4 = {
	XT_ALIGN(sizeof(struct ipt_entry)), iptc_init, append4,
	iptc_flush_entries, iptc_commit, iptc_free, offsets4,
};

static const struct legacy_ops ops6 = {
	XT_ALIGN(sizeof(struct ip6t_entry)), ip6tc_init, append6,
	ip6tc_flush_entries, ip6tc_commit, ip6tc_free, offsets6,
};

/* One entry: the match blob and ACCEPT, or the target blob alone. */
static void legacy_entry(unsigned char *e, const struct legacy_ops *o,
			 const struct blob *b)
{
	size_t at = o->hdr, sz = XT_ALIGN(sizeof(struct xt_entry_match) + b->len);
	struct xt_entry_match *m;
	struct xt_entry_target *t;

	if (!b->ext->target) {
		m = (struct xt_entry_match *)(e + at);
		m->u.user.match_size = below(10) ? sz : below(300);
		strcpy(m->u.user.name, b->ext->name);
		m->u.user.revision = b->rev;
		memcpy(m->data, b->data, b->len);
		at += sz;
		sz = XT_ALIGN(sizeof(struct xt_standard_target));
		t = (struct xt_entry_target *)(e + at);
		t->u.user.target_size = sz;
		strcpy(t->u.user.name, "ACCEPT");
		((struct xt_standard_target *)t)->verdict = -NF_ACCEPT - 1;
	} else {
		t = (struct xt_entry_target *)(e + at);
		t->u.user.target_size = below(10) ? sz : below(300);
		strcpy(t->u.user.name, b->ext->name);
		t->u.user.revision = b->rev;
		memcpy(t->data, b->data, b->len);
	}
	o->offsets(e, at, at + sz);
}

static int legacy_flush(const struct legacy_ops *o, const struct fz_target *t)
{
	struct xtc_handle *h = o->init(t->table);
	int ok;

	ok = h && o->flush(t->chain, h) && o->commit(h);
	if (!ok)
		fprintf(stderr, "nl-fuzz: flushing %s %s: %s\n", t->table,
			t->chain, strerror(errno));
	if (h)
		o->free(h);
	return ok ? 0 : -1;
}

int legacy_run(unsigned long count, const struct fz_target *t, int n)
{
	_Alignas(8) unsigned char e[1024];
	unsigned long commits = 0;
	int i;

	for (i = 0; i < n; i++) {
		if (t[i].family != NFPROTO_IPV4 && t[i].family != NFPROTO_IPV6) {
			fprintf(stderr, "nl-fuzz: legacy targets are ip or ip6\n");
			return 2;
		}
	}
	while (fz.sent < count) {
		const struct fz_target *pick = &t[below(n)];
		const struct legacy_ops *o = pick->family == NFPROTO_IPV6 ? &ops6 : &ops4;
		unsigned int k = 1 + below(3), j;
		struct xtc_handle *h;
		struct blob b;

		/* never more than the count asked for */
		if (k > count - fz.sent)
			k = count - fz.sent;

		h = o->init(pick->table);
		if (!h) {
			fprintf(stderr, "nl-fuzz: table %s: %s\n", pick->table,
				strerror(errno));
			return 1;
		}
		for (j = 0; j < k; j++) {
			memset(e, 0, sizeof(e));
			blob_make(&b);
			legacy_entry(e, o, &b);
			fz.sent++;
			if (!o->append(pick->chain, e, h)) {
				/* libiptc itself refused it: nothing sent */
				fz.refused++;
				k = j;
			}
		}
		fz.batches++;
		if (o->commit(h)) {
			fz.accepted += k;
			commits++;
		} else {
			fz.refused += k;
		}
		o->free(h);
		if (commits % 8 == 7 && legacy_flush(o, pick) < 0)
			return 1;
	}
	for (i = 0; i < n; i++)
		if (legacy_flush(t[i].family == NFPROTO_IPV6 ? &ops6 : &ops4, &t[i]) < 0)
			return 1;
	return 0;
}
