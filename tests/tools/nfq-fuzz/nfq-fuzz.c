// SPDX-License-Identifier: GPL-2.0
/*
 * nfq-fuzz: send random, malformed and hostile nfnetlink_queue config and
 * verdict messages (bind/unbind storms, bad copy modes and flag masks,
 * verdicts for unknown or stale ids, bad verdict codes, mangled payloads of
 * random length, truncated headers and attributes) from several sockets, some
 * owning queues that carry real traffic, some not, reopening sockets now and
 * then so the release path runs with packets queued. Deterministic per seed.
 * It only checks that the kernel keeps answering; the caller checks dmesg.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include <linux/netfilter.h>
#include "nfq-proto.h"

#define NSOCK 3

static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;
static struct mnl_socket *sk[NSOCK];
static char *rbuf;
static uint32_t last_id[NSOCK];
static unsigned int qbase, qcount = 4;
static unsigned long sent, send_errors, acks, nacks, packets, reopens;
static unsigned long kinds[6];

static uint32_t rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (uint32_t)(rng_state >> 16);
}

static uint32_t below(uint32_t n)
{
	return n ? rnd() % n : 0;
}

static void random_bytes(void *p, size_t n)
{
	unsigned char *c = p;

	while (n--)
		*c++ = (unsigned char)rnd();
}

static void drain(int i)
{
	const struct nlmsghdr *nlh;
	ssize_t n;
	int len;

	for (;;) {
		n = recv(mnl_socket_get_fd(sk[i]), rbuf, NFQ_BUF_SIZE,
			 MSG_DONTWAIT);
		if (n < 0) {
			if (errno == ENOBUFS || errno == EINTR)
				continue;
			return;
		}
		len = (int)n;
		for (nlh = (const struct nlmsghdr *)rbuf; mnl_nlmsg_ok(nlh, len);
		     nlh = mnl_nlmsg_next(nlh, &len)) {
			if (nlh->nlmsg_type == NLMSG_ERROR) {
				const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);

				if (e->error)
					nacks++;
				else
					acks++;
			} else if ((nlh->nlmsg_type & 0xff) == NFQNL_MSG_PACKET) {
				const struct nlattr *a;

				packets++;
				mnl_attr_for_each(a, nlh, sizeof(struct nfgenmsg)) {
					const struct nfqnl_msg_packet_hdr *ph;

					if (mnl_attr_get_type(a) != NFQA_PACKET_HDR ||
					    mnl_attr_get_payload_len(a) < sizeof(*ph))
						continue;
					ph = mnl_attr_get_payload(a);
					last_id[i] = ntohl(ph->packet_id);
				}
			}
		}
	}
}

static uint16_t pick_queue(void)
{
	/* Mostly the queues that carry traffic, sometimes any. */
	if (below(8))
		return (uint16_t)(qbase + below(qcount));
	return (uint16_t)rnd();
}

static void put_config(struct nlmsghdr *nlh)
{
	if (below(4))
		nfq_put_cmd(nlh, (uint8_t)(below(4) ? 1 + below(2) : below(8)),
			    (uint16_t)below(12));
	if (below(2))
		nfq_put_params(nlh, (uint8_t)below(5),
			       below(2) ? below(70000) : rnd());
	if (below(3) == 0)
		mnl_attr_put_u32(nlh, NFQA_CFG_QUEUE_MAXLEN,
				 htonl(below(2) ? below(64) : rnd()));
	if (below(2)) {
		uint32_t m = below(2) ? rnd() : below(64);
		uint32_t f = below(2) ? below(32) : rnd();

		if (below(8))
			mnl_attr_put_u32(nlh, NFQA_CFG_MASK, htonl(m));
		if (below(8))
			mnl_attr_put_u32(nlh, NFQA_CFG_FLAGS, htonl(f));
	}
}

static uint32_t pick_verdict(void)
{
	switch (below(6)) {
	case 0:
		return rnd();			/* anything at all */
	case 1:
		return below(8);		/* every basic code */
	case 2:					/* reinject to a queue */
		return NF_QUEUE | ((qbase + below(qcount)) << 16) |
			(below(2) ? NF_VERDICT_FLAG_QUEUE_BYPASS : 0);
	default:
		return below(2) ? NF_ACCEPT : NF_DROP;
	}
}

static void put_verdict(struct nlmsghdr *nlh, int i)
{
	uint32_t id = below(4) ? last_id[i] - below(4) + below(2) : rnd();

	if (below(10))
		nfq_put_verdict(nlh, pick_verdict(), id);
	if (below(3) == 0)
		mnl_attr_put_u32(nlh, NFQA_MARK, rnd());
	if (below(4) == 0) {
		char junk[4096];
		size_t n = below(3) ? below(80) : below(sizeof(junk));

		random_bytes(junk, n);
		mnl_attr_put(nlh, NFQA_PAYLOAD, n, junk);
	}
	if (below(10) == 0) {
		char junk[64];
		size_t n = below(sizeof(junk));

		random_bytes(junk, n);
		mnl_attr_put(nlh, below(2) ? NFQA_CT : NFQA_EXP, n, junk);
	}
	if (below(12) == 0) {
		struct nlattr *nest = mnl_attr_nest_start(nlh, NFQA_VLAN);

		mnl_attr_put_u16(nlh, NFQA_VLAN_PROTO, (uint16_t)rnd());
		if (below(2))
			mnl_attr_put_u16(nlh, NFQA_VLAN_TCI, (uint16_t)rnd());
		mnl_attr_nest_end(nlh, nest);
	}
}

/* Random attributes, then maybe lie about lengths. */
static void put_garbage(struct nlmsghdr *nlh)
{
	unsigned int n = below(6), k;
	char junk[256];

	for (k = 0; k < n; k++) {
		size_t len = below(sizeof(junk));

		random_bytes(junk, len);
		mnl_attr_put(nlh, (uint16_t)below(40), len, junk);
	}
	if (n && below(2)) {
		struct nlattr *a = (struct nlattr *)((char *)nlh +
				   mnl_nlmsg_size(sizeof(struct nfgenmsg)));

		a->nla_len = (uint16_t)rnd();	/* overruns or underruns */
	}
}

static void one(int iter)
{
	char mbuf[8192];
	struct nlmsghdr *nlh;
	int i = (int)below(NSOCK), kind = (int)below(6);
	uint16_t flags = below(2) ? NLM_F_ACK : 0;
	uint8_t type;

	switch (kind) {
	case 0: case 1: type = NFQNL_MSG_CONFIG; break;
	case 2: type = NFQNL_MSG_VERDICT; break;
	case 3: type = NFQNL_MSG_VERDICT_BATCH; break;
	default: type = (uint8_t)below(8); break;
	}
	kinds[kind]++;
	nlh = nfq_msg_start(mbuf, type, pick_queue(), flags, (uint32_t)iter);
	if (type == NFQNL_MSG_CONFIG && kind < 4)
		put_config(nlh);
	else if (kind < 4)
		put_verdict(nlh, i);
	else
		put_garbage(nlh);
	if (kind == 5) {
		struct nfgenmsg *g = mnl_nlmsg_get_payload(nlh);

		switch (below(3)) {
		case 0:
			g->version = (uint8_t)rnd();
			g->nfgen_family = (uint8_t)rnd();
			break;
		case 1:	/* shorter than the nfnetlink header */
			nlh->nlmsg_len = (uint32_t)(sizeof(*nlh) + below(4));
			break;
		default:
			nlh->nlmsg_type = (uint16_t)((NFNL_SUBSYS_QUEUE << 8) |
						     below(256));
			break;
		}
	}
	if (mnl_socket_sendto(sk[i], nlh, nlh->nlmsg_len) < 0)
		send_errors++;
	sent++;
	drain(i);
	if (below(2000) == 0) {
		/* Close with whatever it owns and holds; start afresh. */
		mnl_socket_close(sk[i]);
		sk[i] = nfq_open(0);
		last_id[i] = 0;
		reopens++;
	}
}

int main(int argc, char **argv)
{
	unsigned long n = 100000, k;
	unsigned long seed = 1;
	int c, i;

	while ((c = getopt(argc, argv, "n:s:q:Q:")) != -1) {
		switch (c) {
		case 'n': n = strtoul(optarg, NULL, 0); break;
		case 's': seed = strtoul(optarg, NULL, 0); break;
		case 'q': qbase = strtoul(optarg, NULL, 0); break;
		case 'Q': qcount = strtoul(optarg, NULL, 0); break;
		default:
			fprintf(stderr, "usage: nfq-fuzz [-n MESSAGES] [-s SEED] [-q FIRSTQUEUE] [-Q QUEUES]\n");
			return 2;
		}
	}
	if (qcount == 0 || qbase + qcount > 65536) {
		fprintf(stderr, "nfq-fuzz: bad queue range\n");
		return 2;
	}
	rng_state ^= seed * 0x2545f4914f6cdd1dULL;
	rbuf = malloc(NFQ_BUF_SIZE);
	if (rbuf == NULL)
		return 1;
	for (i = 0; i < NSOCK; i++)
		sk[i] = nfq_open(0);
	/* Give the first socket the traffic queues so verdicts meet packets. */
	for (k = 0; k < qcount; k++) {
		char mbuf[256];
		struct nlmsghdr *nlh;

		nlh = nfq_msg_start(mbuf, NFQNL_MSG_CONFIG, (uint16_t)(qbase + k),
				    0, 0);
		nfq_put_cmd(nlh, NFQNL_CFG_CMD_BIND, 0);
		nfq_put_params(nlh, NFQNL_COPY_PACKET, 0xffff);
		mnl_socket_sendto(sk[0], nlh, nlh->nlmsg_len);
	}
	for (k = 0; k < n; k++)
		one((int)k);
	for (i = 0; i < NSOCK; i++)
		mnl_socket_close(sk[i]);
	printf("nfq-fuzz: seed %lu: sent %lu (config %lu, verdict %lu, batch %lu, garbage %lu), "
	       "send errors %lu, acks %lu, errors %lu, packets seen %lu, reopens %lu\n",
	       seed, sent, kinds[0] + kinds[1], kinds[2], kinds[3],
	       kinds[4] + kinds[5], send_errors, acks, nacks, packets, reopens);
	free(rbuf);
	return 0;
}
