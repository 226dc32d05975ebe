// SPDX-License-Identifier: GPL-2.0
/*
 * xt-rawrule: append one rule "match rpfilter (revision REV, flags FLAGS),
 * then ACCEPT" to a built-in chain, through iptables-legacy (libiptc, the
 * IPT_SO_SET_REPLACE socket option) or iptables-nft (an nf_tables batch
 * holding an nft_compat "match" expression and an accept verdict).
 *
 * The flags byte goes to the kernel as given: unlike the iptables plugin,
 * this tool can send bits the match does not know, so a test can check the
 * kernel refuses them. The errno printed is the one the kernel returned.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libiptc/libiptc.h>
#include <libiptc/libip6tc.h>
#include <libmnl/libmnl.h>
#include <libnftnl/expr.h>
#include <libnftnl/rule.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/x_tables.h>

#include "xt_rpfilter.h"

#define PROG "xt-rawrule"
#define MATCH_NAME "rpfilter"

/* The match data as the kernel expects it: the info, padded to XT_ALIGN. */
#define MATCH_DATA_LEN XT_ALIGN(sizeof(struct xt_rpfilter_info))

struct rule_spec {
	int family;		/* 4 or 6 */
	const char *table;
	const char *chain;
	unsigned int revision;
	unsigned int flags;
};

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: " PROG " {legacy|nft} {4|6} TABLE CHAIN " MATCH_NAME " REV FLAGS\n"
		"\n"
		"Append one rule to the built-in CHAIN of TABLE: match \"" MATCH_NAME "\"\n"
		"revision REV (0-255) with the flags byte FLAGS (0-255, decimal or 0x..),\n"
		"sent as is, then ACCEPT.\n"
		"  legacy  through the x_tables socket options (iptables-legacy)\n"
		"  nft     through an nf_tables batch with an nft_compat match\n"
		"          (table and chain must exist, e.g. made by iptables-nft)\n"
		"Exit status 0 when the kernel took the rule, 1 when it did not\n"
		"(with one line naming the error), 2 for bad usage.\n");
}

static int fail(const char *what, int err)
{
	fprintf(stderr, PROG ": %s: %s\n", what, strerror(err));
	return 1;
}

/* parse_byte TEXT NAME: 0-255 (decimal, 0x hex or 0 octal), else exit 2. */
static unsigned int parse_byte(const char *text, const char *name)
{
	unsigned long v;
	char *end;

	errno = 0;
	v = strtoul(text, &end, 0);
	if (!isdigit((unsigned char)text[0]) || errno || *end || v > 255) {
		fprintf(stderr, PROG ": bad %s '%s': want 0-255\n", name, text);
		exit(2);
	}
	return v;
}

/* The entry shared by both legacy families, after the family's header. */
struct legacy_tail {
	struct xt_entry_match *match;
	struct xt_standard_target *target;
	size_t target_offset;
	size_t next_offset;
};

static void legacy_fill(unsigned char *base, size_t hdr, struct legacy_tail *t,
			const struct rule_spec *s)
{
	size_t match_size = XT_ALIGN(sizeof(struct xt_entry_match)) + MATCH_DATA_LEN;
	struct xt_rpfilter_info *info;

	t->match = (struct xt_entry_match *)(base + hdr);
	t->match->u.user.match_size = match_size;
	strncpy(t->match->u.user.name, MATCH_NAME, sizeof(t->match->u.user.name) - 1);
	t->match->u.user.revision = s->revision;
	info = (struct xt_rpfilter_info *)t->match->data;
	info->flags = s->flags;

	t->target_offset = hdr + match_size;
	t->target = (struct xt_standard_target *)(base + t->target_offset);
	t->target->target.u.user.target_size = XT_ALIGN(sizeof(struct xt_standard_target));
	/* libiptc turns the name ACCEPT into the standard verdict */
	strncpy(t->target->target.u.user.name, "ACCEPT",
		sizeof(t->target->target.u.user.name) - 1);
	t->target->verdict = -NF_ACCEPT - 1;
	t->next_offset = t->target_offset + XT_ALIGN(sizeof(struct xt_standard_target));
}

/* Room for the biggest entry: ip6t_entry, the match and the target. */
#define LEGACY_BUF (XT_ALIGN(sizeof(struct ip6t_entry)) + \
		    XT_ALIGN(sizeof(struct xt_entry_match)) + MATCH_DATA_LEN + \
		    XT_ALIGN(sizeof(struct xt_standard_target)))

/*
 * What differs between libiptc's IPv4 and IPv6 halves: the entry header and
 * the functions' names (they share struct xtc_handle).
 */
struct legacy_family {
	const char *name;
	size_t hdr;		/* XT_ALIGN(sizeof(struct ip(6)t_entry)) */
	void (*set_offsets)(unsigned char *buf, const struct legacy_tail *t);
	struct xtc_handle *(*init)(const char *table);
	int (*append)(const char *chain, const unsigned char *buf,
		      struct xtc_handle *h);
	int (*commit)(struct xtc_handle *h);
	void (*free)(struct xtc_handle *h);
};

static void offsets4(unsigned char *buf, const struct legacy_tail *t)
{
	struct ipt_entry *e = (struct ipt_entry *)buf;

	e->target_offset = t->target_offset;
	e->next_offset = t->next_offset;
}

static int append4(const char *chain, const unsigned char *buf,
		   struct xtc_handle *h)
{
	return iptc_append_entry(chain, (const struct ipt_entry *)buf, h);
}

static void offsets6(unsigned char *buf, const struct legacy_tail *t)
{
	struct ip6t_entry *e = (struct ip6t_entry *)buf;

	e->target_offset = t->target_offset;
	e->next_offset = t->next_offset;
}

static int append6(const char *chain, const unsigned char *buf,
		   struct xtc_handle *h)
{
	return ip6tc_append_entry(chain, (const struct ip6t_entry *)buf, h);
}

static const struct legacy_family legacy4 = {
	.name = "IPv4", .hdr = XT_ALIGN(sizeof(struct ipt_entry)),
	.set_offsets = offsets4, .init = iptc_init, .append = append4,
	.commit = iptc_commit, .free = iptc_free,
};

static const struct legacy_family legacy6 = {
	.name = "IPv6", .hdr = XT_ALIGN(sizeof(struct ip6t_entry)),
	.set_offsets = offsets6, .init = ip6tc_init, .append = append6,
	.commit = ip6tc_commit, .free = ip6tc_free,
};

static int add_legacy(const struct rule_spec *s, const struct legacy_family *f)
{
	_Alignas(8) unsigned char buf[LEGACY_BUF] = { 0 };
	struct xtc_handle *h;
	struct legacy_tail t;
	char what[128];
	int err;

	legacy_fill(buf, f->hdr, &t, s);
	f->set_offsets(buf, &t);

	h = f->init(s->table);
	if (!h) {
		snprintf(what, sizeof(what), "%s table %s", f->name, s->table);
		return fail(what, errno);
	}
	if (!f->append(s->chain, buf, h)) {
		err = errno;
		snprintf(what, sizeof(what), "%s chain %s in table %s", f->name,
			 s->chain, s->table);
		f->free(h);
		return fail(what, err);
	}
	if (!f->commit(h)) {
		err = errno;
		snprintf(what, sizeof(what), "%s table %s: replacing the rules",
			 f->name, s->table);
		f->free(h);
		return fail(what, err);
	}
	f->free(h);
	return 0;
}

/* The rule for nf_tables: [ match rpfilter REV INFO ] [ immediate accept ]. */
static struct nftnl_rule *nft_build_rule(const struct rule_spec *s, int nfproto)
{
	struct nftnl_expr *match, *verdict;
	struct nftnl_rule *r;
	unsigned char *info;

	r = nftnl_rule_alloc();
	match = nftnl_expr_alloc("match");
	verdict = nftnl_expr_alloc("immediate");
	/* the expression owns the data once set */
	info = calloc(1, MATCH_DATA_LEN);
	if (!r || !match || !verdict || !info) {
		free(info);
		if (verdict)
			nftnl_expr_free(verdict);
		if (match)
			nftnl_expr_free(match);
		if (r)
			nftnl_rule_free(r);
		return NULL;
	}
	((struct xt_rpfilter_info *)info)->flags = s->flags;

	nftnl_rule_set_u32(r, NFTNL_RULE_FAMILY, nfproto);
	nftnl_rule_set_str(r, NFTNL_RULE_TABLE, s->table);
	nftnl_rule_set_str(r, NFTNL_RULE_CHAIN, s->chain);

	nftnl_expr_set_str(match, NFTNL_EXPR_MT_NAME, MATCH_NAME);
	nftnl_expr_set_u32(match, NFTNL_EXPR_MT_REV, s->revision);
	nftnl_expr_set(match, NFTNL_EXPR_MT_INFO, info, MATCH_DATA_LEN);
	nftnl_rule_add_expr(r, match);

	nftnl_expr_set_u32(verdict, NFTNL_EXPR_IMM_DREG, NFT_REG_VERDICT);
	nftnl_expr_set_u32(verdict, NFTNL_EXPR_IMM_VERDICT, NF_ACCEPT);
	nftnl_rule_add_expr(r, verdict);
	return r;
}

static int add_nft(const struct rule_spec *s)
{
	int nfproto = s->family == 6 ? NFPROTO_IPV6 : NFPROTO_IPV4;
	char sendbuf[MNL_SOCKET_BUFFER_SIZE];
	char recvbuf[MNL_SOCKET_BUFFER_SIZE];
	uint32_t seq = time(NULL), portid;
	struct mnl_nlmsg_batch *batch;
	struct mnl_socket *nl;
	struct nftnl_rule *r;
	struct nlmsghdr *nlh;
	char what[160];
	ssize_t len;
	int ret;

	snprintf(what, sizeof(what), "nf_tables rule in %s %s chain %s",
		 s->family == 6 ? "ip6" : "ip", s->table, s->chain);

	r = nft_build_rule(s, nfproto);
	if (!r)
		return fail("building the rule", ENOMEM);

	batch = mnl_nlmsg_batch_start(sendbuf, sizeof(sendbuf));
	nftnl_batch_begin(mnl_nlmsg_batch_current(batch), seq++);
	mnl_nlmsg_batch_next(batch);
	nlh = nftnl_nlmsg_build_hdr(mnl_nlmsg_batch_current(batch), NFT_MSG_NEWRULE,
				    nfproto, NLM_F_APPEND | NLM_F_CREATE | NLM_F_ACK,
				    seq++);
	nftnl_rule_nlmsg_build_payload(nlh, r);
	nftnl_rule_free(r);
	mnl_nlmsg_batch_next(batch);
	nftnl_batch_end(mnl_nlmsg_batch_current(batch), seq++);
	mnl_nlmsg_batch_next(batch);

	nl = mnl_socket_open(NETLINK_NETFILTER);
	if (!nl) {
		mnl_nlmsg_batch_stop(batch);
		return fail("opening a netfilter netlink socket", errno);
	}
	if (mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		ret = fail("binding the netlink socket", errno);
		goto out;
	}
	portid = mnl_socket_get_portid(nl);

	if (mnl_socket_sendto(nl, mnl_nlmsg_batch_head(batch),
			      mnl_nlmsg_batch_size(batch)) < 0) {
		ret = fail("sending the batch", errno);
		goto out;
	}

	/*
	 * Only the rule asked for an acknowledgement: the kernel answers with
	 * one message, an ack or the error (an error about the batch framing
	 * would come instead). Sequence numbers are not checked for that reason.
	 */
	for (;;) {
		len = mnl_socket_recvfrom(nl, recvbuf, sizeof(recvbuf));
		if (len < 0) {
			ret = fail("receiving the answer", errno);
			goto out;
		}
		ret = mnl_cb_run(recvbuf, len, 0, portid, NULL, NULL);
		if (ret < 0) {
			ret = fail(what, errno);
			goto out;
		}
		if (ret == MNL_CB_STOP)
			break;
	}
	ret = 0;
out:
	mnl_socket_close(nl);
	mnl_nlmsg_batch_stop(batch);
	return ret;
}

int main(int argc, char **argv)
{
	struct rule_spec s;
	int nft;

	if (argc == 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
		usage(stdout);
		return 0;
	}
	if (argc != 8) {
		usage(stderr);
		return 2;
	}
	if (!strcmp(argv[1], "legacy")) {
		nft = 0;
	} else if (!strcmp(argv[1], "nft")) {
		nft = 1;
	} else {
		fprintf(stderr, PROG ": unknown backend '%s': want legacy or nft\n", argv[1]);
		return 2;
	}
	if (!strcmp(argv[2], "4")) {
		s.family = 4;
	} else if (!strcmp(argv[2], "6")) {
		s.family = 6;
	} else {
		fprintf(stderr, PROG ": unknown family '%s': want 4 or 6\n", argv[2]);
		return 2;
	}
	s.table = argv[3];
	s.chain = argv[4];
	if (strcmp(argv[5], MATCH_NAME)) {
		fprintf(stderr, PROG ": unsupported match '%s': only " MATCH_NAME "\n", argv[5]);
		return 2;
	}
	s.revision = parse_byte(argv[6], "revision");
	s.flags = parse_byte(argv[7], "flags");

	if (nft)
		return add_nft(&s);
	return add_legacy(&s, s.family == 6 ? &legacy6 : &legacy4);
}
