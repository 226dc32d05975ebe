// SPDX-License-Identifier: GPL-2.0
/*
 * ct-timeout: nfnetlink_cttimeout requests (NFNL_SUBSYS_CTNETLINK_TIMEOUT)
 * built and parsed with libmnl.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include <libmnl/libmnl.h>
#include <linux/netfilter/nfnetlink.h>

#include "nl.h"

struct mnl_socket *ctt_open(void)
{
	struct mnl_socket *nl = mnl_socket_open(NETLINK_NETFILTER);

	if (!nl)
		return NULL;
	if (mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		int err = errno;

		mnl_socket_close(nl);
		errno = err;
		return NULL;
	}
	return nl;
}

void ctt_close(struct mnl_socket *nl)
{
	mnl_socket_close(nl);
}

static struct nlmsghdr *ctt_msg(char *buf, int type, int flags)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct nfgenmsg *nfg;

	nlh->nlmsg_type = (NFNL_SUBSYS_CTNETLINK_TIMEOUT << 8) | type;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	nlh->nlmsg_seq = (uint32_t)time(NULL);
	nfg = mnl_nlmsg_put_extra_header(nlh, sizeof(*nfg));
	nfg->nfgen_family = AF_UNSPEC;
	nfg->version = NFNETLINK_V0;
	nfg->res_id = 0;
	return nlh;
}

static int top_attr_cb(const struct nlattr *a, void *data)
{
	const struct nlattr **tb = data;
	int type = mnl_attr_get_type(a);

	if (mnl_attr_type_valid(a, CTA_TIMEOUT_MAX) < 0)
		return MNL_CB_OK;
	tb[type] = a;
	return MNL_CB_OK;
}

static int data_attr_cb(const struct nlattr *a, void *data)
{
	struct ctt_policy *p = data;
	uint16_t type = mnl_attr_get_type(a);

	if (type == 0 || type > CTT_ATTR_MAX)
		return MNL_CB_OK;
	if (mnl_attr_validate(a, MNL_TYPE_U32) < 0)
		return MNL_CB_ERROR;
	p->set[type] = 1;
	p->value[type] = ntohl(mnl_attr_get_u32(a));
	return MNL_CB_OK;
}

static int reply_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[CTA_TIMEOUT_MAX + 1] = { NULL };
	struct ctt_list *out = data;
	struct ctt_policy *p, *grown;

	if (!out)
		return MNL_CB_OK;
	if (mnl_attr_parse(nlh, sizeof(struct nfgenmsg), top_attr_cb, tb) < 0)
		return MNL_CB_ERROR;
	grown = realloc(out->v, (out->n + 1) * sizeof(*out->v));
	if (!grown)
		return MNL_CB_ERROR;
	out->v = grown;
	p = &out->v[out->n];
	memset(p, 0, sizeof(*p));
	if (tb[CTA_TIMEOUT_NAME]) {
		strncpy(p->name, mnl_attr_get_str(tb[CTA_TIMEOUT_NAME]),
			sizeof(p->name) - 1);
	}
	if (tb[CTA_TIMEOUT_L3PROTO])
		p->family = ntohs(mnl_attr_get_u16(tb[CTA_TIMEOUT_L3PROTO]));
	if (tb[CTA_TIMEOUT_L4PROTO])
		p->l4num = mnl_attr_get_u8(tb[CTA_TIMEOUT_L4PROTO]);
	if (tb[CTA_TIMEOUT_USE]) {
		p->has_use = 1;
		p->use = ntohl(mnl_attr_get_u32(tb[CTA_TIMEOUT_USE]));
	}
	if (tb[CTA_TIMEOUT_DATA] &&
	    mnl_attr_parse_nested(tb[CTA_TIMEOUT_DATA], data_attr_cb, p) < 0)
		return MNL_CB_ERROR;
	out->n++;
	return MNL_CB_OK;
}

/* Sends one request and reads until its ACK, error or end of dump. */
static int ctt_talk(struct mnl_socket *nl, struct nlmsghdr *nlh,
		    struct ctt_list *out)
{
	static char buf[32768];
	unsigned int portid = mnl_socket_get_portid(nl);
	uint32_t seq = nlh->nlmsg_seq;
	ssize_t n;
	int ret;

	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	for (;;) {
		n = mnl_socket_recvfrom(nl, buf, sizeof(buf));
		if (n < 0)
			return -errno;
		errno = 0;
		ret = mnl_cb_run(buf, n, seq, portid, reply_cb, out);
		if (ret < 0)
			return errno ? -errno : -EPROTO;
		if (ret == MNL_CB_STOP)
			return 0;
	}
}

static void put_data(struct nlmsghdr *nlh, const struct ctt_policy *p)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, CTA_TIMEOUT_DATA);
	uint16_t a;

	for (a = 1; a <= CTT_ATTR_MAX; a++)
		if (p->set[a])
			mnl_attr_put_u32(nlh, a, htonl(p->value[a]));
	mnl_attr_nest_end(nlh, nest);
}

static void put_protos(struct nlmsghdr *nlh, int family, uint8_t l4num)
{
	mnl_attr_put_u16(nlh, CTA_TIMEOUT_L3PROTO, htons(family));
	mnl_attr_put_u8(nlh, CTA_TIMEOUT_L4PROTO, l4num);
}

int ctt_dump(struct mnl_socket *nl, struct ctt_list *out)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;

	nlh = ctt_msg(buf, IPCTNL_MSG_TIMEOUT_GET, NLM_F_DUMP);
	return ctt_talk(nl, nlh, out);
}

int ctt_get(struct mnl_socket *nl, const char *name, struct ctt_list *out)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;

	nlh = ctt_msg(buf, IPCTNL_MSG_TIMEOUT_GET, NLM_F_ACK);
	mnl_attr_put_strz(nlh, CTA_TIMEOUT_NAME, name);
	return ctt_talk(nl, nlh, out);
}

int ctt_new(struct mnl_socket *nl, const struct ctt_policy *p, int replace)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;
	int flags = NLM_F_ACK | NLM_F_CREATE;

	flags |= replace ? NLM_F_REPLACE : NLM_F_EXCL;
	nlh = ctt_msg(buf, IPCTNL_MSG_TIMEOUT_NEW, flags);
	mnl_attr_put_strz(nlh, CTA_TIMEOUT_NAME, p->name);
	put_protos(nlh, p->family, p->l4num);
	put_data(nlh, p);
	return ctt_talk(nl, nlh, NULL);
}

int ctt_del(struct mnl_socket *nl, const char *name)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;

	nlh = ctt_msg(buf, IPCTNL_MSG_TIMEOUT_DELETE, NLM_F_ACK);
	mnl_attr_put_strz(nlh, CTA_TIMEOUT_NAME, name);
	return ctt_talk(nl, nlh, NULL);
}

int ctt_default_set(struct mnl_socket *nl, const struct ctt_policy *p)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;

	nlh = ctt_msg(buf, IPCTNL_MSG_TIMEOUT_DEFAULT_SET, NLM_F_ACK);
	put_protos(nlh, p->family, p->l4num);
	put_data(nlh, p);
	return ctt_talk(nl, nlh, NULL);
}

int ctt_default_get(struct mnl_socket *nl, int family, uint8_t l4num,
		    struct ctt_list *out)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;

	nlh = ctt_msg(buf, IPCTNL_MSG_TIMEOUT_DEFAULT_GET, NLM_F_ACK);
	put_protos(nlh, family, l4num);
	return ctt_talk(nl, nlh, out);
}
