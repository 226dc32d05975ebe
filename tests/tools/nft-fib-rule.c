// SPDX-License-Identifier: GPL-2.0
/*
 * nft-fib-rule: append one rule "fib KEYS oif exists|missing VERDICT" to an
 * existing chain through libnftnl, with the fib flags of nfext's nft_fib
 * that stock nft cannot spell yet (feasible, no-default). Test-only.
 *
 *   nft-fib-rule FAMILY TABLE CHAIN KEYS exists|missing VERDICT
 *
 * FAMILY   ip, ip6 or inet
 * KEYS     fib keys joined with '.', as nft writes them:
 *          saddr daddr mark iif oif feasible no-default, or a number (the
 *          raw NFTA_FIB_FLAGS, to send what no spelling gives)
 * VERDICT  accept, drop, continue, jump:CHAIN or goto:CHAIN
 *
 * Exit 0 when the kernel took the rule, 1 with its error on one line when
 * it refused it, 2 on bad usage.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <arpa/inet.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <libmnl/libmnl.h>
#include <libnftnl/common.h>
#include <libnftnl/expr.h>
#include <libnftnl/rule.h>
#include "nfext_nft_fib.h"

static const struct {
	const char *name;
	uint32_t flag;
} keys[] = {
	{ "saddr", NFTA_FIB_F_SADDR },
	{ "daddr", NFTA_FIB_F_DADDR },
	{ "mark", NFTA_FIB_F_MARK },
	{ "iif", NFTA_FIB_F_IIF },
	{ "oif", NFTA_FIB_F_OIF },
	{ "feasible", NFTA_FIB_F_FEASIBLE },
	{ "no-default", NFTA_FIB_F_NODEFAULT },
};

static void usage(const char *why)
{
	fprintf(stderr, "nft-fib-rule: %s\n"
		"usage: nft-fib-rule ip|ip6|inet TABLE CHAIN KEYS exists|missing "
		"accept|drop|continue|jump:CHAIN|goto:CHAIN\n", why);
	exit(2);
}

static uint32_t parse_keys(const char *spec)
{
	char *copy = strdup(spec), *tok, *save = NULL, *end;
	uint32_t flags = 0;
	unsigned int i;

	if (!copy)
		exit(2);
	errno = 0;
	flags = strtoul(spec, &end, 0);
	if (!errno && *spec && !*end) {
		free(copy);
		return flags;
	}
	flags = 0;
	for (tok = strtok_r(copy, ". ", &save); tok;
	     tok = strtok_r(NULL, ". ", &save)) {
		for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
			if (!strcmp(tok, keys[i].name))
				break;
		if (i == sizeof(keys) / sizeof(keys[0])) {
			fprintf(stderr, "nft-fib-rule: unknown fib key '%s'\n",
				tok);
			exit(2);
		}
		flags |= keys[i].flag;
	}
	free(copy);
	return flags;
}

static struct nftnl_expr *expr(const char *name)
{
	struct nftnl_expr *e = nftnl_expr_alloc(name);

	if (!e) {
		perror("nftnl_expr_alloc");
		exit(2);
	}
	return e;
}

static struct nftnl_rule *build_rule(int family, char **argv)
{
	struct nftnl_rule *r = nftnl_rule_alloc();
	struct nftnl_expr *e;
	const char *v = argv[6];
	uint8_t present;

	if (!r)
		exit(2);
	if (!strcmp(argv[5], "exists"))
		present = 1;
	else if (!strcmp(argv[5], "missing"))
		present = 0;
	else
		usage("want exists or missing");
	nftnl_rule_set_u32(r, NFTNL_RULE_FAMILY, family);
	nftnl_rule_set_str(r, NFTNL_RULE_TABLE, argv[2]);
	nftnl_rule_set_str(r, NFTNL_RULE_CHAIN, argv[3]);

	e = expr("fib");
	nftnl_expr_set_u32(e, NFTNL_EXPR_FIB_RESULT, NFT_FIB_RESULT_OIF);
	nftnl_expr_set_u32(e, NFTNL_EXPR_FIB_FLAGS,
			   parse_keys(argv[4]) | NFTA_FIB_F_PRESENT);
	nftnl_expr_set_u32(e, NFTNL_EXPR_FIB_DREG, NFT_REG32_00);
	nftnl_rule_add_expr(r, e);

	e = expr("cmp");
	nftnl_expr_set_u32(e, NFTNL_EXPR_CMP_SREG, NFT_REG32_00);
	nftnl_expr_set_u32(e, NFTNL_EXPR_CMP_OP, NFT_CMP_EQ);
	nftnl_expr_set(e, NFTNL_EXPR_CMP_DATA, &present, sizeof(present));
	nftnl_rule_add_expr(r, e);

	nftnl_rule_add_expr(r, expr("counter"));

	e = expr("immediate");
	nftnl_expr_set_u32(e, NFTNL_EXPR_IMM_DREG, NFT_REG_VERDICT);
	if (!strcmp(v, "accept")) {
		nftnl_expr_set_u32(e, NFTNL_EXPR_IMM_VERDICT, NF_ACCEPT);
	} else if (!strcmp(v, "drop")) {
		nftnl_expr_set_u32(e, NFTNL_EXPR_IMM_VERDICT, NF_DROP);
	} else if (!strcmp(v, "continue")) {
		nftnl_expr_set_u32(e, NFTNL_EXPR_IMM_VERDICT, NFT_CONTINUE);
	} else if (!strncmp(v, "jump:", 5) && v[5]) {
		nftnl_expr_set_u32(e, NFTNL_EXPR_IMM_VERDICT, NFT_JUMP);
		nftnl_expr_set_str(e, NFTNL_EXPR_IMM_CHAIN, v + 5);
	} else if (!strncmp(v, "goto:", 5) && v[5]) {
		nftnl_expr_set_u32(e, NFTNL_EXPR_IMM_VERDICT, NFT_GOTO);
		nftnl_expr_set_str(e, NFTNL_EXPR_IMM_CHAIN, v + 5);
	} else {
		usage("unknown verdict");
	}
	nftnl_rule_add_expr(r, e);
	return r;
}

/* Send the batch; 0 or the errno of the first message refused. */
static int send_batch(struct mnl_nlmsg_batch *b, uint32_t rule_seq)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct mnl_socket *nl = mnl_socket_open(NETLINK_NETFILTER);
	int n, err = 0, done = 0;

	if (!nl || mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		perror("nft-fib-rule: netlink socket");
		exit(2);
	}
	if (mnl_socket_sendto(nl, mnl_nlmsg_batch_head(b),
			      mnl_nlmsg_batch_size(b)) < 0) {
		perror("nft-fib-rule: send");
		exit(2);
	}
	while (!done) {
		n = mnl_socket_recvfrom(nl, buf, sizeof(buf));
		if (n < 0) {
			perror("nft-fib-rule: receive");
			exit(2);
		}
		for (struct nlmsghdr *h = (struct nlmsghdr *)buf;
		     mnl_nlmsg_ok(h, n); h = mnl_nlmsg_next(h, &n)) {
			struct nlmsgerr *e = mnl_nlmsg_get_payload(h);

			if (h->nlmsg_type != NLMSG_ERROR ||
			    h->nlmsg_seq != rule_seq)
				continue;
			err = -e->error;
			done = 1;
		}
	}
	mnl_socket_close(nl);
	return err;
}

int main(int argc, char **argv)
{
	char buf[MNL_SOCKET_BUFFER_SIZE * 2];
	uint32_t seq = (uint32_t)time(NULL), rule_seq;
	struct mnl_nlmsg_batch *b;
	struct nftnl_rule *r;
	struct nlmsghdr *nlh;
	int family, err;

	if (argc != 7)
		usage("wrong number of arguments");
	if (!strcmp(argv[1], "ip"))
		family = NFPROTO_IPV4;
	else if (!strcmp(argv[1], "ip6"))
		family = NFPROTO_IPV6;
	else if (!strcmp(argv[1], "inet"))
		family = NFPROTO_INET;
	else
		usage("family must be ip, ip6 or inet");
	r = build_rule(family, argv);

	b = mnl_nlmsg_batch_start(buf, sizeof(buf));
	nftnl_batch_begin(mnl_nlmsg_batch_current(b), seq++);
	mnl_nlmsg_batch_next(b);
	rule_seq = seq++;
	nlh = nftnl_nlmsg_build_hdr(mnl_nlmsg_batch_current(b),
				    NFT_MSG_NEWRULE, family,
				    NLM_F_CREATE | NLM_F_APPEND | NLM_F_ACK,
				    rule_seq);
	nftnl_rule_nlmsg_build_payload(nlh, r);
	nftnl_rule_free(r);
	mnl_nlmsg_batch_next(b);
	nftnl_batch_end(mnl_nlmsg_batch_current(b), seq++);
	mnl_nlmsg_batch_next(b);
	err = send_batch(b, rule_seq);
	mnl_nlmsg_batch_stop(b);
	if (err) {
		fprintf(stderr, "nft-fib-rule: fib %s: %s\n", argv[4],
			strerror(err));
		return 1;
	}
	return 0;
}
