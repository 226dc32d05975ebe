// SPDX-License-Identifier: GPL-2.0
/* nfq-proto: building nfnetlink_queue messages with libmnl. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include "nfq-proto.h"

struct nlmsghdr *nfq_msg_start(void *buf, uint8_t type, uint16_t queue,
			       uint16_t flags, uint32_t seq)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct nfgenmsg *nfg;

	nlh->nlmsg_type = (NFNL_SUBSYS_QUEUE << 8) | type;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	nlh->nlmsg_seq = seq;
	nfg = mnl_nlmsg_put_extra_header(nlh, sizeof(*nfg));
	nfg->nfgen_family = AF_UNSPEC;
	nfg->version = NFNETLINK_V0;
	nfg->res_id = htons(queue);
	return nlh;
}

void nfq_put_cmd(struct nlmsghdr *nlh, uint8_t cmd, uint16_t pf)
{
	struct nfqnl_msg_config_cmd c = {
		.command = cmd,
		.pf = htons(pf),
	};

	mnl_attr_put(nlh, NFQA_CFG_CMD, sizeof(c), &c);
}

void nfq_put_params(struct nlmsghdr *nlh, uint8_t mode, uint32_t range)
{
	struct nfqnl_msg_config_params p = {
		.copy_range = htonl(range),
		.copy_mode = mode,
	};

	mnl_attr_put(nlh, NFQA_CFG_PARAMS, sizeof(p), &p);
}

void nfq_put_flags(struct nlmsghdr *nlh, uint32_t mask, uint32_t flags)
{
	mnl_attr_put_u32(nlh, NFQA_CFG_MASK, htonl(mask));
	mnl_attr_put_u32(nlh, NFQA_CFG_FLAGS, htonl(flags));
}

void nfq_put_verdict(struct nlmsghdr *nlh, uint32_t verdict, uint32_t id)
{
	struct nfqnl_msg_verdict_hdr v = {
		.verdict = htonl(verdict),
		.id = htonl(id),
	};

	mnl_attr_put(nlh, NFQA_VERDICT_HDR, sizeof(v), &v);
}

int nfq_copy_mode(const char *name)
{
	if (strcmp(name, "none") == 0)
		return NFQNL_COPY_NONE;
	if (strcmp(name, "meta") == 0)
		return NFQNL_COPY_META;
	if (strcmp(name, "packet") == 0)
		return NFQNL_COPY_PACKET;
	return -1;
}

struct mnl_socket *nfq_open(unsigned int rcvbuf)
{
	struct mnl_socket *nl = mnl_socket_open(NETLINK_NETFILTER);

	if (nl == NULL) {
		fprintf(stderr, "netlink socket: %s\n", strerror(errno));
		exit(1);
	}
	if (mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		fprintf(stderr, "netlink bind: %s\n", strerror(errno));
		exit(1);
	}
	if (rcvbuf &&
	    setsockopt(mnl_socket_get_fd(nl), SOL_SOCKET, SO_RCVBUFFORCE,
		       &rcvbuf, sizeof(rcvbuf)) < 0 &&
	    setsockopt(mnl_socket_get_fd(nl), SOL_SOCKET, SO_RCVBUF,
		       &rcvbuf, sizeof(rcvbuf)) < 0) {
		fprintf(stderr, "SO_RCVBUF %u: %s\n", rcvbuf, strerror(errno));
		exit(1);
	}
	return nl;
}
