// SPDX-License-Identifier: GPL-2.0
/*
 * nftnl-queue: a test-only libnftnl client for the queue expression's flags.
 *
 *   nftnl-queue add TABLE CHAIN QUEUENUM FLAGS   append "queue" with FLAGS
 *                                                (inet family) to CHAIN
 *   nftnl-queue dump TABLE CHAIN                 one line per queue
 *                                                expression: "num N flags 0xF"
 *
 * Everything goes through Debian's libnftnl (no nft involved), to show that
 * it carries the fail-open bit both ways unchanged. add exits 1 with the
 * kernel's error ("error: Invalid argument") when the rule is refused.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <libmnl/libmnl.h>
#include <libnftnl/expr.h>
#include <libnftnl/rule.h>

static struct mnl_socket *nl_open(void)
{
	struct mnl_socket *nl = mnl_socket_open(NETLINK_NETFILTER);

	if (!nl || mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		perror("netlink");
		exit(2);
	}
	return nl;
}

/* Receive answers to @seq until done; 0 or the first error's errno. */
static int nl_talk(struct mnl_socket *nl, uint32_t seq, mnl_cb_t cb)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	int n, ret = 0;

	do {
		n = mnl_socket_recvfrom(nl, buf, sizeof(buf));
		if (n < 0)
			return errno;
		ret = mnl_cb_run(buf, n, seq, mnl_socket_get_portid(nl), cb,
				 NULL);
	} while (ret > 0);
	return ret < 0 ? errno : 0;
}

static int add(const char *table, const char *chain, uint16_t num,
	       uint16_t flags)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct mnl_nlmsg_batch *b = mnl_nlmsg_batch_start(buf, sizeof(buf));
	uint32_t seq = time(NULL);
	struct mnl_socket *nl = nl_open();
	struct nftnl_rule *r = nftnl_rule_alloc();
	struct nftnl_expr *e = nftnl_expr_alloc("queue");
	struct nlmsghdr *nlh;
	int err;

	if (!r || !e) {
		perror("libnftnl");
		exit(2);
	}
	nftnl_rule_set_str(r, NFTNL_RULE_TABLE, table);
	nftnl_rule_set_str(r, NFTNL_RULE_CHAIN, chain);
	nftnl_rule_set_u32(r, NFTNL_RULE_FAMILY, NFPROTO_INET);
	nftnl_expr_set_u16(e, NFTNL_EXPR_QUEUE_NUM, num);
	nftnl_expr_set_u16(e, NFTNL_EXPR_QUEUE_TOTAL, 1);
	nftnl_expr_set_u16(e, NFTNL_EXPR_QUEUE_FLAGS, flags);
	nftnl_rule_add_expr(r, e);

	nftnl_batch_begin(mnl_nlmsg_batch_current(b), seq++);
	mnl_nlmsg_batch_next(b);
	nlh = nftnl_rule_nlmsg_build_hdr(mnl_nlmsg_batch_current(b),
					 NFT_MSG_NEWRULE, NFPROTO_INET,
					 NLM_F_APPEND | NLM_F_CREATE | NLM_F_ACK,
					 seq);
	nftnl_rule_nlmsg_build_payload(nlh, r);
	mnl_nlmsg_batch_next(b);
	nftnl_batch_end(mnl_nlmsg_batch_current(b), seq + 1);
	mnl_nlmsg_batch_next(b);
	nftnl_rule_free(r);

	if (mnl_socket_sendto(nl, mnl_nlmsg_batch_head(b),
			      mnl_nlmsg_batch_size(b)) < 0) {
		perror("send");
		exit(2);
	}
	err = nl_talk(nl, seq, NULL);
	mnl_nlmsg_batch_stop(b);
	mnl_socket_close(nl);
	if (err) {
		printf("error: %s\n", strerror(err));
		return 1;
	}
	printf("ok\n");
	return 0;
}

static int print_queue(struct nftnl_expr *e, void *data)
{
	(void)data;
	if (strcmp(nftnl_expr_get_str(e, NFTNL_EXPR_NAME), "queue"))
		return 0;
	printf("num %u flags 0x%x\n",
	       (unsigned int)nftnl_expr_get_u16(e, NFTNL_EXPR_QUEUE_NUM),
	       (unsigned int)nftnl_expr_get_u16(e, NFTNL_EXPR_QUEUE_FLAGS));
	return 0;
}

static int rule_cb(const struct nlmsghdr *nlh, void *data)
{
	struct nftnl_rule *r = nftnl_rule_alloc();

	if (!r || nftnl_rule_nlmsg_parse(nlh, r) < 0) {
		nftnl_rule_free(r);
		return MNL_CB_ERROR;
	}
	if (!strcmp(nftnl_rule_get_str(r, NFTNL_RULE_CHAIN), (char *)data))
		nftnl_expr_foreach(r, print_queue, NULL);
	nftnl_rule_free(r);
	return MNL_CB_OK;
}

static int dump(const char *table, const char *chain)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	uint32_t seq = time(NULL);
	struct mnl_socket *nl = nl_open();
	struct nftnl_rule *r = nftnl_rule_alloc();
	struct nlmsghdr *nlh;
	char buf2[MNL_SOCKET_BUFFER_SIZE];
	int n, ret = 0;

	if (!r) {
		perror("libnftnl");
		exit(2);
	}
	nlh = nftnl_rule_nlmsg_build_hdr(buf, NFT_MSG_GETRULE, NFPROTO_INET,
					 NLM_F_DUMP, seq);
	nftnl_rule_set_str(r, NFTNL_RULE_TABLE, table);
	nftnl_rule_nlmsg_build_payload(nlh, r);
	nftnl_rule_free(r);
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0) {
		perror("send");
		exit(2);
	}
	do {
		n = mnl_socket_recvfrom(nl, buf2, sizeof(buf2));
		if (n < 0)
			break;
		ret = mnl_cb_run(buf2, n, seq, mnl_socket_get_portid(nl),
				 rule_cb, (void *)chain);
	} while (ret > 0);
	mnl_socket_close(nl);
	if (n < 0 || ret < 0) {
		printf("error: %s\n", strerror(errno));
		return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 6 && !strcmp(argv[1], "add"))
		return add(argv[2], argv[3], strtoul(argv[4], NULL, 0),
			   strtoul(argv[5], NULL, 0));
	if (argc == 4 && !strcmp(argv[1], "dump"))
		return dump(argv[2], argv[3]);
	fprintf(stderr, "usage: nftnl-queue add TABLE CHAIN QUEUENUM FLAGS | dump TABLE CHAIN\n");
	return 2;
}
