// SPDX-License-Identifier: GPL-2.0
/*
 * nl-fuzz: send nfext's nf_tables and x_tables surfaces random and mutated
 * rules, deterministic per seed, and count what the kernel took and refused.
 *
 *   nl-fuzz fib    [-n RULES] [-s SEED] [-b BATCH] FAMILY:TABLE:CHAIN...
 *   nl-fuzz compat [-n RULES] [-s SEED] [-b BATCH] FAMILY:TABLE:CHAIN...
 *   nl-fuzz legacy [-n BLOBS] [-s SEED] ip|ip6:TABLE:CHAIN...
 *
 * fib: NFT_MSG_NEWRULE batches whose fib expression has random or mutated
 * NFTA_FIB_* attributes (unknown flag bits and results, wrong lengths,
 * unknown and nested attributes, missing ones), sometimes followed by a cmp
 * on its register so that rules that commit really evaluate packets.
 * compat: nft_compat match and target expressions (rpfilter, NFQUEUE, CT,
 * NOTRACK) of every revision with random and mutated NFTA_*_INFO blobs of
 * right and wrong sizes. legacy: the same blobs in ip(6)tables entries
 * committed through libiptc. The chains must exist; the tool deletes the
 * rules it added now and then and at the end, so they end empty.
 * It checks only that the kernel keeps answering; the caller checks that
 * the modules still work and that dmesg stays clean.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nf_tables.h>
#include <libnftnl/batch.h>
#include <libnftnl/common.h>

#include "nl-fuzz.h"

#define PROG "nl-fuzz"
#define BATCH_BUF (512 * 1024)
#define FLUSH_EVERY 32		/* batches between two flushes */

struct fz_stats fz;
char fz_desc[512];
int fz_verbose;
static uint64_t rng_state = 0x2545f4914f6cdd1dULL;

uint32_t rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (uint32_t)(rng_state >> 16);
}

uint32_t below(uint32_t n)
{
	return n ? rnd() % n : 0;
}

void rnd_seed(unsigned long seed)
{
	rng_state ^= (uint64_t)seed * 0x9e3779b97f4a7c15ULL;
	if (!rng_state)
		rng_state = 1;
}

void random_bytes(void *p, size_t n)
{
	unsigned char *c = p;

	while (n--)
		*c++ = (unsigned char)rnd();
}

void mutate(void *p, size_t n, unsigned int count)
{
	unsigned char *c = p;

	while (n && count--)
		c[below(n)] = (unsigned char)rnd();
}

void batch_open(struct fz_batch *fb)
{
	if (!fb->buf) {
		fb->buf = malloc(BATCH_BUF);
		if (!fb->buf) {
			perror(PROG);
			exit(1);
		}
	}
	fb->b = mnl_nlmsg_batch_start(fb->buf, BATCH_BUF / 2);
	fb->first_seq = fb->seq;
	nftnl_batch_begin(mnl_nlmsg_batch_current(fb->b), fb->seq++);
	mnl_nlmsg_batch_next(fb->b);
	fb->msgs = 0;
}

struct nlmsghdr *batch_rule(struct fz_batch *fb, const struct fz_target *t)
{
	struct nlmsghdr *nlh;

	nlh = nftnl_nlmsg_build_hdr(mnl_nlmsg_batch_current(fb->b),
				    NFT_MSG_NEWRULE, t->family,
				    NLM_F_CREATE | NLM_F_APPEND | NLM_F_ACK,
				    fb->seq++);
	mnl_attr_put_strz(nlh, NFTA_RULE_TABLE, t->table);
	mnl_attr_put_strz(nlh, NFTA_RULE_CHAIN, t->chain);
	return nlh;
}

void batch_next(struct fz_batch *fb)
{
	mnl_nlmsg_batch_next(fb->b);
	fb->msgs++;
}

/* Answers: one per message sent with NLM_F_ACK, in order. */
int batch_send(struct mnl_socket *nl, struct fz_batch *fb)
{
	static char rbuf[256 * 1024];
	unsigned int answered = 0;
	struct pollfd pfd;
	ssize_t n;
	int len;

	nftnl_batch_end(mnl_nlmsg_batch_current(fb->b), fb->seq++);
	mnl_nlmsg_batch_next(fb->b);
	fz.batches++;
	if (mnl_socket_sendto(nl, mnl_nlmsg_batch_head(fb->b),
			      mnl_nlmsg_batch_size(fb->b)) < 0) {
		fprintf(stderr, PROG ": sending a batch: %s\n", strerror(errno));
		mnl_nlmsg_batch_stop(fb->b);
		return -1;
	}
	mnl_nlmsg_batch_stop(fb->b);
	pfd.fd = mnl_socket_get_fd(nl);
	pfd.events = POLLIN;
	while (answered < fb->msgs) {
		const struct nlmsghdr *nlh;

		/* a kernel that stops answering is lost, not waited for */
		if (poll(&pfd, 1, 30000) <= 0) {
			fz.lost++;
			return 0;
		}
		n = recv(pfd.fd, rbuf, sizeof(rbuf), 0);
		if (n < 0) {
			if (errno == EINTR || errno == ENOBUFS)
				continue;
			fprintf(stderr, PROG ": receiving: %s\n", strerror(errno));
			return -1;
		}
		len = (int)n;
		for (nlh = (const struct nlmsghdr *)rbuf; mnl_nlmsg_ok(nlh, len);
		     nlh = mnl_nlmsg_next(nlh, &len)) {
			const struct nlmsgerr *e;

			if (nlh->nlmsg_type != NLMSG_ERROR)
				continue;
			e = mnl_nlmsg_get_payload(nlh);
			if (nlh->nlmsg_seq == fb->first_seq) {
				/* the batch framing itself was refused */
				fz.refused += fb->msgs - answered;
				return 0;
			}
			answered++;
			if (e->error)
				fz.refused++;
			else
				fz.accepted++;
		}
	}
	return 0;
}

int flush_targets(struct mnl_socket *nl, const struct fz_target *t, int n)
{
	static struct fz_batch fb;
	struct nlmsghdr *nlh;
	unsigned long acc = fz.accepted, ref = fz.refused;
	int i, ret;

	batch_open(&fb);
	for (i = 0; i < n; i++) {
		nlh = nftnl_nlmsg_build_hdr(mnl_nlmsg_batch_current(fb.b),
					    NFT_MSG_DELRULE, t[i].family,
					    NLM_F_ACK, fb.seq++);
		mnl_attr_put_strz(nlh, NFTA_RULE_TABLE, t[i].table);
		mnl_attr_put_strz(nlh, NFTA_RULE_CHAIN, t[i].chain);
		batch_next(&fb);
	}
	ret = batch_send(nl, &fb);
	fz.batches--;
	/* flushes are not fuzz messages */
	if (fz.refused != ref) {
		fprintf(stderr, PROG ": flushing the chains was refused\n");
		ret = -1;
	}
	fz.accepted = acc;
	fz.refused = ref;
	return ret;
}

static int parse_family(const char *s)
{
	static const struct { const char *name; int nfproto; } f[] = {
		{ "ip", NFPROTO_IPV4 }, { "ip6", NFPROTO_IPV6 },
		{ "inet", NFPROTO_INET }, { "netdev", NFPROTO_NETDEV },
		{ "bridge", NFPROTO_BRIDGE }, { "arp", NFPROTO_ARP },
	};
	size_t i;

	for (i = 0; i < sizeof(f) / sizeof(f[0]); i++)
		if (!strcmp(s, f[i].name))
			return f[i].nfproto;
	return -1;
}

static int parse_target(char *arg, struct fz_target *t)
{
	char *table = strchr(arg, ':'), *chain;

	if (!table)
		return -1;
	*table++ = '\0';
	chain = strchr(table, ':');
	if (!chain)
		return -1;
	*chain++ = '\0';
	t->family = parse_family(arg);
	t->table = table;
	t->chain = chain;
	return t->family < 0 || !*table || !*chain ? -1 : 0;
}

static void usage(FILE *f)
{
	fprintf(f, "usage: " PROG " fib|compat|legacy [-n COUNT] [-s SEED] [-b BATCH] FAMILY:TABLE:CHAIN...\n");
}

static int run_nft(int compat, unsigned long count, unsigned int batch,
		   const struct fz_target *t, int n)
{
	struct fz_batch fb = { .seq = 1 };
	struct mnl_socket *nl;
	struct nlmsghdr *nlh;
	int one = 1, rcv = 4 << 20;
	const struct fz_target *last = t;
	unsigned long acc;
	unsigned int i, size;

	nl = mnl_socket_open(NETLINK_NETFILTER);
	if (!nl || mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		fprintf(stderr, PROG ": netfilter netlink socket: %s\n", strerror(errno));
		return 1;
	}
	mnl_socket_setsockopt(nl, NETLINK_CAP_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(nl, NETLINK_EXT_ACK, &one, sizeof(one));
	setsockopt(mnl_socket_get_fd(nl), SOL_SOCKET, SO_RCVBUF, &rcv, sizeof(rcv));
	while (fz.sent < count) {
		/* a single-rule batch now and then, so that good rules commit */
		size = below(4) ? 1 + below(batch) : 1;
		if (size > count - fz.sent)
			size = count - fz.sent;
		batch_open(&fb);
		for (i = 0; i < size; i++) {
			const struct fz_target *pick = &t[below(n)];

			last = pick;
			nlh = batch_rule(&fb, pick);
			if (compat)
				compat_rule_exprs(nlh, pick->family);
			else
				fib_rule_exprs(nlh);
			batch_next(&fb);
			fz.sent++;
		}
		acc = fz.accepted;
		if (batch_send(nl, &fb) < 0)
			return 1;
		if (fz_verbose && size == 1 && fz.accepted > acc)
			fprintf(stderr, "took %d:%s:%s %s\n", last->family,
				last->table, last->chain, fz_desc);
		if (fz.batches % FLUSH_EVERY == 0 && flush_targets(nl, t, n) < 0)
			return 1;
	}
	if (flush_targets(nl, t, n) < 0)
		return 1;
	mnl_socket_close(nl);
	return 0;
}

int main(int argc, char **argv)
{
	unsigned long count = 1000, seed = 1;
	unsigned int batch = 32;
	struct fz_target *t;
	const char *mode;
	int c, i, n, ret;

	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	mode = argv[1];
	optind = 2;
	while ((c = getopt(argc, argv, "n:s:b:vh")) != -1) {
		switch (c) {
		case 'n': count = strtoul(optarg, NULL, 0); break;
		case 's': seed = strtoul(optarg, NULL, 0); break;
		case 'b': batch = strtoul(optarg, NULL, 0); break;
		case 'v': fz_verbose = 1; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	n = argc - optind;
	if (n < 1 || batch < 1 || batch > 256) {
		usage(stderr);
		return 2;
	}
	t = calloc(n, sizeof(*t));
	if (!t)
		return 1;
	for (i = 0; i < n; i++) {
		if (parse_target(argv[optind + i], &t[i]) < 0) {
			fprintf(stderr, PROG ": bad target '%s': want FAMILY:TABLE:CHAIN\n",
				argv[optind + i]);
			return 2;
		}
	}
	rnd_seed(seed);
	if (!strcmp(mode, "fib")) {
		ret = run_nft(0, count, batch, t, n);
	} else if (!strcmp(mode, "compat")) {
		ret = run_nft(1, count, batch, t, n);
	} else if (!strcmp(mode, "legacy")) {
		ret = legacy_run(count, t, n);
	} else {
		fprintf(stderr, PROG ": unknown mode '%s': want fib, compat or legacy\n", mode);
		return 2;
	}
	printf("%s seed %lu: sent %lu accepted %lu refused %lu batches %lu lost %lu\n",
	       mode, seed, fz.sent, fz.accepted, fz.refused, fz.batches, fz.lost);
	free(t);
	return ret;
}
