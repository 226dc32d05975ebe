/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nl-fuzz: shared parts of the netlink fuzzer for nfext's nf_tables and
 * x_tables surfaces (the fib expression, the rpfilter match, the NFQUEUE,
 * CT and NOTRACK targets): a seeded random source, the fuzz targets and
 * an nf_tables batch sender.
 */
#ifndef NL_FUZZ_H
#define NL_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <libmnl/libmnl.h>

/* A rule's place: FAMILY:TABLE:CHAIN from the command line. */
struct fz_target {
	int family;		/* NFPROTO_* */
	const char *table;
	const char *chain;
};

struct fz_stats {
	unsigned long sent;	/* rule messages (or legacy blobs) sent */
	unsigned long accepted;	/* acknowledged / committed */
	unsigned long refused;	/* answered with an error */
	unsigned long batches;	/* nf_tables batches or legacy commits */
	unsigned long lost;	/* batches whose answers did not all come */
};

extern struct fz_stats fz;
/* -v: what the last rule built was (printed when the kernel took it) */
extern char fz_desc[512];
extern int fz_verbose;

uint32_t rnd(void);
uint32_t below(uint32_t n);
void rnd_seed(unsigned long seed);
void random_bytes(void *p, size_t n);
/* flip COUNT random bytes of P[0..N) to random values */
void mutate(void *p, size_t n, unsigned int count);

/* An nf_tables batch under construction. */
struct fz_batch {
	struct mnl_nlmsg_batch *b;
	char *buf;
	uint32_t first_seq;
	uint32_t seq;
	unsigned int msgs;
};

void batch_open(struct fz_batch *fb);
/* A NEWRULE message header with table and chain, expressions to follow. */
struct nlmsghdr *batch_rule(struct fz_batch *fb, const struct fz_target *t);
void batch_next(struct fz_batch *fb);
/* Send the batch, read one answer per message, count them. */
int batch_send(struct mnl_socket *nl, struct fz_batch *fb);
/* Delete every rule of the targets' chains (one batch). */
int flush_targets(struct mnl_socket *nl, const struct fz_target *t, int n);

/* fib.c: one random or mutated fib expression into an open rule. */
void fib_rule_exprs(struct nlmsghdr *nlh);
/* xtblob.c */
void compat_rule_exprs(struct nlmsghdr *nlh, int family);
int legacy_run(unsigned long count, const struct fz_target *t, int n);

#endif
