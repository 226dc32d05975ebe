// SPDX-License-Identifier: GPL-2.0
/*
 * fib-reject-test: send the kernel fib expressions that nft itself would
 * never build and check that each is refused with the right errno, and that
 * the well-formed control rules are accepted. Each case is one atomic batch
 * (table, base chain, rule) in a scratch table, removed afterwards.
 * Run as root, preferably in a scratch network namespace.
 *
 *   fib-reject-test [-v]     exit 0: every case answered as expected
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <arpa/inet.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nf_tables.h>
#include <libmnl/libmnl.h>
#include <libnftnl/chain.h>
#include <libnftnl/common.h>
#include <libnftnl/table.h>

#define TABLE "nfext_fib_reject"
#define CHAIN "c"

/* Which attribute a case leaves out or sends with a wrong length. */
enum attr_twist { TW_NONE, TW_NO_DREG, TW_SHORT_DREG, TW_NO_FLAGS };

struct fib_case {
	const char *what;
	int family;		/* NFPROTO_* */
	int hook;		/* hook of the base chain */
	uint32_t flags;		/* NFTA_FIB_FLAGS */
	uint32_t result;	/* NFTA_FIB_RESULT */
	uint32_t dreg;		/* NFTA_FIB_DREG */
	enum attr_twist twist;
	int want;		/* expected errno, 0 = accepted */
};

#define S NFTA_FIB_F_SADDR
#define D NFTA_FIB_F_DADDR
#define M NFTA_FIB_F_MARK
#define I NFTA_FIB_F_IIF
#define O NFTA_FIB_F_OIF
#define P NFTA_FIB_F_PRESENT
#define R1 NFT_REG32_00
#define OIF NFT_FIB_RESULT_OIF
#define NAME NFT_FIB_RESULT_OIFNAME
#define TYPE NFT_FIB_RESULT_ADDRTYPE

static const struct fib_case cases[] = {
	/* controls: what nft builds is accepted */
	{ "control: fib saddr . iif oif (ip prerouting)", NFPROTO_IPV4,
	  NF_INET_PRE_ROUTING, S | I, OIF, R1, TW_NONE, 0 },
	{ "control: fib saddr . iif oif exists (ip6 prerouting)", NFPROTO_IPV6,
	  NF_INET_PRE_ROUTING, S | I | P, OIF, R1, TW_NONE, 0 },
	{ "control: fib daddr . oif type (inet output)", NFPROTO_INET,
	  NF_INET_LOCAL_OUT, D | O, TYPE, R1, TW_NONE, 0 },
	{ "control: fib saddr . mark oifname (inet forward)", NFPROTO_INET,
	  NF_INET_FORWARD, S | M, NAME, R1, TW_NONE, 0 },
	{ "control: fib saddr . iif oif (inet ingress)", NFPROTO_INET,
	  NF_INET_INGRESS, S | I, OIF, R1, TW_NONE, 0 },
	{ "control: fib saddr . iif oif (netdev ingress)", NFPROTO_NETDEV,
	  NF_NETDEV_INGRESS, S | I, OIF, R1, TW_NONE, 0 },
	/* flags */
	{ "saddr and daddr together", NFPROTO_IPV4, NF_INET_PRE_ROUTING,
	  S | D, OIF, R1, TW_NONE, EINVAL },
	{ "neither saddr nor daddr", NFPROTO_IPV4, NF_INET_PRE_ROUTING,
	  I, OIF, R1, TW_NONE, EINVAL },
	{ "no flags at all", NFPROTO_IPV6, NF_INET_PRE_ROUTING,
	  0, OIF, R1, TW_NONE, EINVAL },
	{ "iif and oif together", NFPROTO_INET, NF_INET_FORWARD,
	  D | I | O, TYPE, R1, TW_NONE, EINVAL },
	{ "unknown flag bit 0x100", NFPROTO_IPV4, NF_INET_PRE_ROUTING,
	  S | I | 0x100, OIF, R1, TW_NONE, EINVAL },
	{ "unknown flag bit 0x80000000", NFPROTO_IPV6, NF_INET_PRE_ROUTING,
	  D | 0x80000000u, TYPE, R1, TW_NONE, EINVAL },
	{ "oif flag with the oif result", NFPROTO_IPV4, NF_INET_FORWARD,
	  D | O, OIF, R1, TW_NONE, EINVAL },
	{ "present with the type result", NFPROTO_IPV4, NF_INET_PRE_ROUTING,
	  D | P, TYPE, R1, TW_NONE, EINVAL },
	{ "flags attribute missing", NFPROTO_IPV4, NF_INET_PRE_ROUTING,
	  S | I, OIF, R1, TW_NO_FLAGS, EINVAL },
	/* results */
	{ "result 0 (unspec)", NFPROTO_IPV4, NF_INET_PRE_ROUTING,
	  S | I, 0, R1, TW_NONE, EINVAL },
	{ "result 4 (unknown)", NFPROTO_IPV6, NF_INET_PRE_ROUTING,
	  S | I, 4, R1, TW_NONE, EINVAL },
	{ "result 4 (unknown, inet)", NFPROTO_INET, NF_INET_PRE_ROUTING,
	  S | I, 4, R1, TW_NONE, EINVAL },
	{ "result 0xffffffff (netdev)", NFPROTO_NETDEV, NF_NETDEV_INGRESS,
	  S | I, 0xffffffffu, R1, TW_NONE, EINVAL },
	/* destination register */
	{ "dreg attribute missing", NFPROTO_IPV4, NF_INET_PRE_ROUTING,
	  S | I, OIF, R1, TW_NO_DREG, EINVAL },
	{ "dreg attribute 2 bytes long", NFPROTO_IPV4, NF_INET_PRE_ROUTING,
	  S | I, OIF, R1, TW_SHORT_DREG, EINVAL },
	{ "oifname (16 bytes) into the last 32-bit register", NFPROTO_IPV4,
	  NF_INET_PRE_ROUTING, S | I, NAME, NFT_REG32_15, TW_NONE, EINVAL },
	{ "dreg 0 (the verdict register)", NFPROTO_IPV6, NF_INET_PRE_ROUTING,
	  S | I, OIF, NFT_REG_VERDICT, TW_NONE, EINVAL },
	/* hooks */
	{ "oif result in output", NFPROTO_IPV4, NF_INET_LOCAL_OUT,
	  D, OIF, R1, TW_NONE, EINVAL },
	{ "oifname result in postrouting", NFPROTO_IPV6, NF_INET_POST_ROUTING,
	  D, NAME, R1, TW_NONE, EINVAL },
	{ "iif in output (type)", NFPROTO_IPV4, NF_INET_LOCAL_OUT,
	  D | I, TYPE, R1, TW_NONE, EINVAL },
	{ "iif in postrouting (type, inet)", NFPROTO_INET,
	  NF_INET_POST_ROUTING, S | I, TYPE, R1, TW_NONE, EINVAL },
	{ "oif flag in prerouting (type)", NFPROTO_IPV4, NF_INET_PRE_ROUTING,
	  D | O, TYPE, R1, TW_NONE, EINVAL },
	{ "iif in netdev egress (type)", NFPROTO_NETDEV, NF_NETDEV_EGRESS,
	  D | I, TYPE, R1, TW_NONE, EINVAL },
	{ "oif result in netdev egress", NFPROTO_NETDEV, NF_NETDEV_EGRESS,
	  D, OIF, R1, TW_NONE, EINVAL },
};

static void put_table(struct mnl_nlmsg_batch *b, int family, uint32_t seq,
		      uint16_t type)
{
	struct nftnl_table *t = nftnl_table_alloc();
	struct nlmsghdr *nlh;

	if (!t) {
		perror("nftnl_table_alloc");
		exit(2);
	}
	nftnl_table_set_str(t, NFTNL_TABLE_NAME, TABLE);
	nlh = nftnl_nlmsg_build_hdr(mnl_nlmsg_batch_current(b), type, family,
				    NLM_F_CREATE | NLM_F_ACK, seq);
	nftnl_table_nlmsg_build_payload(nlh, t);
	nftnl_table_free(t);
	mnl_nlmsg_batch_next(b);
}

static void put_chain(struct mnl_nlmsg_batch *b, const struct fib_case *c,
		      uint32_t seq)
{
	struct nftnl_chain *ch = nftnl_chain_alloc();
	struct nlmsghdr *nlh;

	if (!ch) {
		perror("nftnl_chain_alloc");
		exit(2);
	}
	nftnl_chain_set_str(ch, NFTNL_CHAIN_TABLE, TABLE);
	nftnl_chain_set_str(ch, NFTNL_CHAIN_NAME, CHAIN);
	nftnl_chain_set_str(ch, NFTNL_CHAIN_TYPE, "filter");
	nftnl_chain_set_u32(ch, NFTNL_CHAIN_HOOKNUM, c->hook);
	nftnl_chain_set_s32(ch, NFTNL_CHAIN_PRIO, 0);
	if (c->family == NFPROTO_NETDEV ||
	    (c->family == NFPROTO_INET && c->hook == NF_INET_INGRESS))
		nftnl_chain_set_str(ch, NFTNL_CHAIN_DEV, "lo");
	nlh = nftnl_nlmsg_build_hdr(mnl_nlmsg_batch_current(b),
				    NFT_MSG_NEWCHAIN, c->family,
				    NLM_F_CREATE | NLM_F_ACK, seq);
	nftnl_chain_nlmsg_build_payload(nlh, ch);
	nftnl_chain_free(ch);
	mnl_nlmsg_batch_next(b);
}

/* The rule is built by hand: libnftnl would not send these attributes. */
static void put_rule(struct mnl_nlmsg_batch *b, const struct fib_case *c,
		     uint32_t seq)
{
	struct nlattr *exprs, *elem, *data;
	struct nlmsghdr *nlh;

	nlh = nftnl_nlmsg_build_hdr(mnl_nlmsg_batch_current(b),
				    NFT_MSG_NEWRULE, c->family,
				    NLM_F_CREATE | NLM_F_APPEND | NLM_F_ACK,
				    seq);
	mnl_attr_put_strz(nlh, NFTA_RULE_TABLE, TABLE);
	mnl_attr_put_strz(nlh, NFTA_RULE_CHAIN, CHAIN);
	exprs = mnl_attr_nest_start(nlh, NFTA_RULE_EXPRESSIONS);
	elem = mnl_attr_nest_start(nlh, NFTA_LIST_ELEM);
	mnl_attr_put_strz(nlh, NFTA_EXPR_NAME, "fib");
	data = mnl_attr_nest_start(nlh, NFTA_EXPR_DATA);
	if (c->twist == TW_SHORT_DREG)
		mnl_attr_put_u16(nlh, NFTA_FIB_DREG, htons(c->dreg));
	else if (c->twist != TW_NO_DREG)
		mnl_attr_put_u32(nlh, NFTA_FIB_DREG, htonl(c->dreg));
	mnl_attr_put_u32(nlh, NFTA_FIB_RESULT, htonl(c->result));
	if (c->twist != TW_NO_FLAGS)
		mnl_attr_put_u32(nlh, NFTA_FIB_FLAGS, htonl(c->flags));
	mnl_attr_nest_end(nlh, data);
	mnl_attr_nest_end(nlh, elem);
	mnl_attr_nest_end(nlh, exprs);
	mnl_nlmsg_batch_next(b);
}

/* Send one batch, return 0 or the errno of the first refused message.
 * Every message from @first to @last carries NLM_F_ACK, so each one is
 * answered (acked or refused); answers of earlier batches are skipped.
 */
static int send_batch(struct mnl_socket *nl, struct mnl_nlmsg_batch *b,
		      uint32_t first, uint32_t last)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	unsigned int answers = 0;
	int err = 0, n;

	if (mnl_socket_sendto(nl, mnl_nlmsg_batch_head(b),
			      mnl_nlmsg_batch_size(b)) < 0) {
		perror("mnl_socket_sendto");
		exit(2);
	}
	while (answers < last - first + 1) {
		n = mnl_socket_recvfrom(nl, buf, sizeof(buf));
		if (n < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				break;	/* no more answers are coming */
			perror("mnl_socket_recvfrom");
			exit(2);
		}
		for (struct nlmsghdr *h = (struct nlmsghdr *)buf;
		     mnl_nlmsg_ok(h, n); h = mnl_nlmsg_next(h, &n)) {
			struct nlmsgerr *e = mnl_nlmsg_get_payload(h);

			if (h->nlmsg_type != NLMSG_ERROR ||
			    h->nlmsg_seq < first || h->nlmsg_seq > last)
				continue;
			answers++;
			if (e->error && !err)
				err = -e->error;
		}
	}
	return err;
}

/* One batch: table, base chain, rule. The chain hook is only checked
 * when the batch commits, so the scratch table is removed by a second
 * batch (when the first one was accepted).
 */
static int run_case(struct mnl_socket *nl, const struct fib_case *c,
		    uint32_t *seq)
{
	char buf[MNL_SOCKET_BUFFER_SIZE * 2];
	struct mnl_nlmsg_batch *b = mnl_nlmsg_batch_start(buf, sizeof(buf));
	uint32_t first;
	int err, del;

	nftnl_batch_begin(mnl_nlmsg_batch_current(b), (*seq)++);
	mnl_nlmsg_batch_next(b);
	first = *seq;
	put_table(b, c->family, (*seq)++, NFT_MSG_NEWTABLE);
	put_chain(b, c, (*seq)++);
	put_rule(b, c, (*seq)++);
	nftnl_batch_end(mnl_nlmsg_batch_current(b), (*seq)++);
	mnl_nlmsg_batch_next(b);
	err = send_batch(nl, b, first, *seq - 2);
	mnl_nlmsg_batch_stop(b);
	if (err)
		return err;

	b = mnl_nlmsg_batch_start(buf, sizeof(buf));
	nftnl_batch_begin(mnl_nlmsg_batch_current(b), (*seq)++);
	mnl_nlmsg_batch_next(b);
	first = *seq;
	put_table(b, c->family, (*seq)++, NFT_MSG_DELTABLE);
	nftnl_batch_end(mnl_nlmsg_batch_current(b), (*seq)++);
	mnl_nlmsg_batch_next(b);
	del = send_batch(nl, b, first, first);
	mnl_nlmsg_batch_stop(b);
	if (del) {
		fprintf(stderr, "fib-reject-test: cannot remove table %s: %s\n",
			TABLE, strerror(del));
		exit(2);
	}
	return 0;
}

int main(int argc, char **argv)
{
	unsigned int i, bad = 0, n = sizeof(cases) / sizeof(cases[0]);
	bool verbose = argc > 1 && !strcmp(argv[1], "-v");
	uint32_t seq = (uint32_t)time(NULL);
	struct timeval tv = { 0 };
	struct mnl_socket *nl;

	if (argc > 2 || (argc == 2 && !verbose)) {
		fprintf(stderr, "usage: %s [-v]\n", argv[0]);
		return 2;
	}
	nl = mnl_socket_open(NETLINK_NETFILTER);
	if (!nl || mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		perror("fib-reject-test: netlink socket");
		return 2;
	}
	tv.tv_sec = 2;
	if (setsockopt(mnl_socket_get_fd(nl), SOL_SOCKET, SO_RCVTIMEO, &tv,
		       sizeof(tv)) < 0) {
		perror("fib-reject-test: SO_RCVTIMEO");
		return 2;
	}
	for (i = 0; i < n; i++) {
		const struct fib_case *c = &cases[i];
		int err = run_case(nl, c, &seq);

		if (err == c->want) {
			printf("ok: %s: %s\n", c->what,
			       err ? strerror(err) : "accepted");
		} else {
			bad++;
			printf("FAIL: %s: got %s, want %s\n", c->what,
			       err ? strerror(err) : "accepted",
			       c->want ? strerror(c->want) : "accepted");
		}
	}
	mnl_socket_close(nl);
	printf("%u of %u cases as expected\n", n - bad, n);
	return bad ? 1 : 0;
}
