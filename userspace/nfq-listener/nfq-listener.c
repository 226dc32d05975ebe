// SPDX-License-Identifier: GPL-2.0
/*
 * nfq-listener: an NFQUEUE listener speaking nfnetlink_queue with libmnl,
 * modelled on the slow-DPI test program of the fail-open design notes:
 * it sleeps a configurable time per packet, sends verdicts one by one or in
 * batches, and switches its queue's fail-open flag at run time (SIGUSR1 on,
 * SIGUSR2 off). SIGINT/SIGTERM end it; it prints its statistics on exit.
 *
 * With -k it behaves like a deep-inspection listener that keeps many
 * packets in flight: it holds packets until DEPTH are held, then settles
 * them out of order (newest first, shuffled, or single and batch verdicts
 * mixed) and prints how long the verdicts took.
 */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <linux/netfilter.h>
#include "nfq-proto.h"

struct opts {
	unsigned int queue;
	unsigned int maxlen;		/* with maxlen_set */
	int maxlen_set;			/* -l given; else the kernel's default */
	unsigned int delay_ms;
	int copy_mode;
	unsigned int copy_range;
	unsigned int batch;		/* verdict every N packets (1: each) */
	unsigned long count;		/* stop after N packets (0: never) */
	unsigned int rcvbuf;
	unsigned int mark;
	int set_mark;
	int fail_open;			/* at start: -1 leave, 0 off, 1 on */
	int gso;
	int hold;			/* never send a verdict */
	int drop;			/* verdict NF_DROP instead of NF_ACCEPT */
	int no_bind;			/* configure a queue without binding it */
	int config_only;		/* exit once the kernel took the config */
	int bind_twice;			/* send the bind a second time */
	int raw_mask_set, raw_flags_set;
	unsigned int raw_mask, raw_flags;
	unsigned int keep;		/* settle once this many are held */
	int order;			/* enum settle_order */
	unsigned int timed;		/* time only the first N verdicts */
	int by_payload;			/* verdict from the payload's number */
	int check_refused;		/* resend a settled id, an unknown id */
	unsigned int relen;		/* maxlen to set before settling */
	int straggler;			/* -k: settle the first packet at exit */
};

enum settle_order { ORDER_NEWEST, ORDER_OLDEST, ORDER_SHUFFLE, ORDER_MIXED };

/* A held packet (-k): its id and, with -P, its verdict. */
struct held {
	uint32_t id;
	uint32_t verdict;
	int marked;
};

struct stats {
	unsigned long packets, bytes, verdicts, batches, verdict_errors;
	unsigned long enobufs, toggles, toggle_errors;
	unsigned long gso_packets;
	uint32_t last_id;
};

static volatile sig_atomic_t quit;
static volatile sig_atomic_t want_fail_open = -1;

static struct opts o = {
	.copy_mode = NFQNL_COPY_PACKET,
	.copy_range = 0xffff,
	.batch = 1,
	.fail_open = -1,
};
static struct stats st;
static struct mnl_socket *nl;
static char *buf;
static uint32_t seq = 1;
static uint32_t setup_seq, toggle_seq;
static int setup_done, setup_err;
static unsigned long pending;	/* packets without a verdict yet */
static int have_last;
static struct held *held;	/* -k: packets held, in arrival order */
static unsigned int nheld;
static int have_straggler;
static uint32_t straggler_id;
static uint32_t ack_seq;	/* -E: the verdict whose answer we await */
static int ack_done, ack_err;

static void on_signal(int sig)
{
	if (sig == SIGUSR1)
		want_fail_open = 1;
	else if (sig == SIGUSR2)
		want_fail_open = 0;
	else
		quit = 1;
}

static void usage(const char *prog)
{
	fprintf(stderr,
		"usage: %s [options]\n"
		"  -q NUM     queue number (0)\n"
		"  -l LEN     queue maxlen (kernel default: 1024)\n"
		"  -d MS      sleep MS milliseconds per packet (0)\n"
		"  -c MODE    copy mode none|meta|packet (packet)\n"
		"  -r BYTES   copy range (65535)\n"
		"  -b N       one batch verdict every N packets (1: per packet)\n"
		"  -n COUNT   exit after COUNT packets\n"
		"  -f         set the queue's fail-open flag at start\n"
		"  -F         clear the queue's fail-open flag at start\n"
		"  -G         ask for GSO packets (NFQA_CFG_F_GSO)\n"
		"  -M MASK    raw NFQA_CFG_MASK to send at start\n"
		"  -V FLAGS   raw NFQA_CFG_FLAGS to send at start\n"
		"  -H         hold: read packets, never send a verdict\n"
		"  -D         verdict drop instead of accept\n"
		"  -m MARK    set this mark with the verdict\n"
		"  -R BYTES   socket receive buffer size\n"
		"  -N         do not bind (configure an existing queue)\n"
		"  -1         exit once the kernel accepted the configuration\n"
		"  -2         send the configuration twice (a second bind: EBUSY)\n"
		"  -k DEPTH   hold packets until DEPTH are held (or none came for\n"
		"             a second), then settle them all in the order of -o\n"
		"  -o ORDER   newest|oldest|shuffle|mixed (newest); mixed: every\n"
		"             other of the newer half, a batch verdict for the older\n"
		"             half, then the rest of the newer half\n"
		"  -T N       time only the first N verdicts (the median time per\n"
		"             verdict is printed); with newest, one batch verdict\n"
		"             settles the rest\n"
		"  -P         with -k: verdict from the number that ends the payload:\n"
		"             N%%3 = 0 drop, 1 accept with the mark of -m, 2 accept\n"
		"  -E         with -k: then resend settled ids (the newest, the\n"
		"             oldest) and an unknown id, print the kernel's answers\n"
		"  -K LEN     with -k: set the queue's maxlen to LEN before settling\n"
		"  -S         with -k: hold the first packet until exit (a straggler),\n"
		"             then accept it and print the kernel's answer\n"
		"SIGUSR1 sets the queue's fail-open flag, SIGUSR2 clears it.\n",
		prog);
	exit(2);
}

static unsigned long num(const char *s, unsigned long max, char opt)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 0);
	if (errno || *s == '\0' || *end != '\0' || *s == '-' || v > max) {
		fprintf(stderr, "nfq-listener: -%c: bad number '%s' (0..%lu)\n",
			opt, s, max);
		exit(2);
	}
	return v;
}

static void send_msg(struct nlmsghdr *nlh)
{
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0) {
		fprintf(stderr, "nfq-listener: send: %s\n", strerror(errno));
		exit(1);
	}
}

static void send_verdict(uint32_t id, int batch)
{
	char mbuf[256];
	struct nlmsghdr *nlh;

	nlh = nfq_msg_start(mbuf, batch ? NFQNL_MSG_VERDICT_BATCH :
			    NFQNL_MSG_VERDICT, o.queue, 0, 0);
	nfq_put_verdict(nlh, o.drop ? NF_DROP : NF_ACCEPT, id);
	if (o.set_mark)
		mnl_attr_put_u32(nlh, NFQA_MARK, htonl(o.mark));
	send_msg(nlh);
	if (batch)
		st.batches++;
	else
		st.verdicts++;
}

static void flush_pending(void)
{
	if (o.hold || !pending || !have_last)
		return;
	send_verdict(st.last_id, 1);
	st.verdicts += pending;
	pending = 0;
}

static void send_toggle(int on)
{
	char mbuf[256];
	struct nlmsghdr *nlh;

	toggle_seq = seq++;
	nlh = nfq_msg_start(mbuf, NFQNL_MSG_CONFIG, o.queue, NLM_F_ACK,
			    toggle_seq);
	nfq_put_flags(nlh, NFQA_CFG_F_FAIL_OPEN, on ? NFQA_CFG_F_FAIL_OPEN : 0);
	send_msg(nlh);
	st.toggles++;
	printf("nfq-listener: fail-open %s requested\n", on ? "on" : "off");
	fflush(stdout);
}

/* Sleep MS milliseconds; a signal asking to quit cuts the sleep short. */
static void sleep_ms(unsigned int ms)
{
	struct timespec ts = {
		.tv_sec = ms / 1000,
		.tv_nsec = (long)(ms % 1000) * 1000000L,
	};

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR && !quit)
		;
}

static const char *const order_names[] = {
	[ORDER_NEWEST] = "newest", [ORDER_OLDEST] = "oldest",
	[ORDER_SHUFFLE] = "shuffle", [ORDER_MIXED] = "mixed",
};

/* -P: the verdict for a payload ending in a number (and maybe newlines). */
static void payload_verdict(struct held *h, const struct nlattr *pl)
{
	const char *p = pl ? mnl_attr_get_payload(pl) : NULL;
	int len = pl ? (int)mnl_attr_get_payload_len(pl) : 0;
	unsigned long n = 0, scale = 1;

	while (len > 0 && (p[len - 1] == '\n' || p[len - 1] == '\0'))
		len--;
	for (; len > 0 && p[len - 1] >= '0' && p[len - 1] <= '9'; len--) {
		n += (unsigned long)(p[len - 1] - '0') * scale;
		scale *= 10;
	}
	h->verdict = n % 3 == 0 ? NF_DROP : NF_ACCEPT;
	h->marked = n % 3 == 1;
}

/* held[] has room for one more read's worth of packets beyond -k */
#define HELD_EXTRA 8192

static void keep_packet(uint32_t id, const struct nlattr *payload)
{
	struct held *h;

	if (o.straggler && !have_straggler) {
		have_straggler = 1;
		straggler_id = id;
		printf("nfq-listener: id %u held until exit\n", id);
		return;
	}
	if (nheld >= o.keep + HELD_EXTRA) {
		fprintf(stderr, "nfq-listener: more than %u packets held\n",
			nheld);
		exit(1);
	}
	h = &held[nheld++];

	h->id = id;
	h->verdict = o.drop ? NF_DROP : NF_ACCEPT;
	h->marked = o.set_mark;
	if (o.by_payload)
		payload_verdict(h, payload);
}

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static void send_one(const struct held *h, int batch, uint16_t flags,
		     uint32_t s)
{
	char mbuf[256];
	struct nlmsghdr *nlh;

	nlh = nfq_msg_start(mbuf, batch ? NFQNL_MSG_VERDICT_BATCH :
			    NFQNL_MSG_VERDICT, o.queue, flags, s);
	nfq_put_verdict(nlh, h->verdict, h->id);
	if (h->marked)
		mnl_attr_put_u32(nlh, NFQA_MARK, htonl(o.mark));
	send_msg(nlh);
}

static int receive(int timeout_ms);

/* Wait for the kernel's answer to message ack_seq: its errno. */
static int wait_answer(void)
{
	ack_done = 0;
	while (!ack_done && !quit)
		receive(1000);
	return ack_err;
}

/* Send a verdict for @id and wait for the kernel's answer. */
static int verdict_answer(uint32_t id)
{
	struct held h = { .id = id, .verdict = NF_ACCEPT };

	ack_seq = seq++;
	send_one(&h, 0, NLM_F_ACK, ack_seq);
	return wait_answer();
}

/* -K: change the queue's maxlen while it holds packets. */
static void set_maxlen(unsigned int len)
{
	char mbuf[256];
	struct nlmsghdr *nlh;
	int err;

	ack_seq = seq++;
	nlh = nfq_msg_start(mbuf, NFQNL_MSG_CONFIG, o.queue, NLM_F_ACK,
			    ack_seq);
	mnl_attr_put_u32(nlh, NFQA_CFG_QUEUE_MAXLEN, htonl(len));
	send_msg(nlh);
	err = wait_answer();
	printf("nfq-listener: maxlen %u with %u held: %s\n", len, nheld,
	       err ? strerror(err) : "done");
}

/* The order of the single verdicts: indexes into held[]. */
static void settle_order(unsigned int *idx, unsigned int n)
{
	static uint32_t rnd = 2463534242U;
	unsigned int i, j, t;

	for (i = 0; i < n; i++)
		idx[i] = o.order == ORDER_OLDEST ? i : n - 1 - i;
	if (o.order != ORDER_SHUFFLE)
		return;
	for (i = n - 1; i > 0; i--) {
		rnd ^= rnd << 13;
		rnd ^= rnd >> 17;
		rnd ^= rnd << 5;
		j = rnd % (i + 1);
		t = idx[i];
		idx[i] = idx[j];
		idx[j] = t;
	}
}

/*
 * Mixed: singles for every other packet of the newer half (newest first),
 * one batch verdict for the older half, singles for the rest.
 */
static void settle_mixed(void)
{
	unsigned int half = nheld / 2, i;
	struct held b;

	for (i = nheld; i-- > half;)
		if ((nheld - 1 - i) % 2 == 0)
			send_one(&held[i], 0, 0, 0);
	if (half) {
		b = held[half - 1];
		b.verdict = o.drop ? NF_DROP : NF_ACCEPT;
		b.marked = 0;
		send_one(&b, 1, 0, 0);
		st.batches++;
	}
	for (i = nheld; i-- > half;)
		if ((nheld - 1 - i) % 2 == 1)
			send_one(&held[i], 0, 0, 0);
	st.verdicts += nheld;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/*
 * Give the first @timed single verdicts of @idx, timing each: the median
 * time (a verdict that met a preempted CPU does not count more than any
 * other) and the total in *total.
 */
static double timed_verdicts(const unsigned int *idx, unsigned int timed,
			     double *total)
{
	double *t = malloc(timed * sizeof(*t)), t0, med;
	unsigned int i;

	if (!t) {
		fprintf(stderr, "nfq-listener: out of memory\n");
		exit(1);
	}
	*total = 0;
	for (i = 0; i < timed; i++) {
		t0 = now_ns();
		send_one(&held[idx[i]], 0, 0, 0);
		t[i] = now_ns() - t0;
		*total += t[i];
	}
	qsort(t, timed, sizeof(*t), cmp_double);
	med = timed % 2 ? t[timed / 2] : (t[timed / 2 - 1] + t[timed / 2]) / 2;
	free(t);
	return med;
}

static void settle(void)
{
	unsigned int n = nheld, timed, i, *idx;
	uint32_t last_single, oldest;
	double total, med;

	if (!n)
		return;
	oldest = held[0].id;
	if (o.relen)
		set_maxlen(o.relen);
	idx = malloc(n * sizeof(*idx));
	if (!idx) {
		fprintf(stderr, "nfq-listener: out of memory\n");
		exit(1);
	}
	timed = o.timed && o.timed < n ? o.timed : n;
	if (o.order == ORDER_MIXED) {
		total = now_ns();
		settle_mixed();
		total = now_ns() - total;
		timed = n;
		med = total / n;
	} else {
		settle_order(idx, n);
		med = timed_verdicts(idx, timed, &total);
	}
	/* a packet that got a single verdict: the newest one in any order */
	last_single = held[n - 1].id;
	if (o.order != ORDER_MIXED) {
		if (timed < n && o.order == ORDER_NEWEST) {
			send_one(&held[n - 1 - timed], 1, 0, 0);
			st.batches++;
		} else {
			for (i = timed; i < n; i++)
				send_one(&held[idx[i]], 0, 0, 0);
		}
		st.verdicts += n;
	}
	printf("nfq-listener: settled %u (%s): %u verdicts in %.0f ns, %.0f ns per verdict\n",
	       n, order_names[o.order], timed, total, med);
	free(idx);
	nheld = 0;
	if (o.check_refused) {
		/* packets arriving meanwhile are held for the next round */
		uint32_t last = last_single;

		printf("nfq-listener: id %u again: %s\n", last,
		       strerror(verdict_answer(last)));
		printf("nfq-listener: oldest id %u again: %s\n", oldest,
		       strerror(verdict_answer(oldest)));
		printf("nfq-listener: id %u never given: %s\n",
		       last + 0x80000000U,
		       strerror(verdict_answer(last + 0x80000000U)));
	}
	fflush(stdout);
}

static void on_packet(const struct nlmsghdr *nlh)
{
	struct nlattr *tb[NFQA_MAX + 1] = { NULL };
	const struct nfqnl_msg_packet_hdr *ph;
	const struct nlattr *a;

	mnl_attr_for_each(a, nlh, sizeof(struct nfgenmsg)) {
		unsigned int t = mnl_attr_get_type(a);

		if (t <= NFQA_MAX)
			tb[t] = (struct nlattr *)a;
	}
	if (!tb[NFQA_PACKET_HDR] ||
	    mnl_attr_get_payload_len(tb[NFQA_PACKET_HDR]) < sizeof(*ph)) {
		fprintf(stderr, "nfq-listener: packet message without header\n");
		return;
	}
	ph = mnl_attr_get_payload(tb[NFQA_PACKET_HDR]);
	st.packets++;
	if (tb[NFQA_PAYLOAD])
		st.bytes += mnl_attr_get_payload_len(tb[NFQA_PAYLOAD]);
	if (tb[NFQA_SKB_INFO] &&
	    (ntohl(mnl_attr_get_u32(tb[NFQA_SKB_INFO])) & NFQA_SKB_GSO))
		st.gso_packets++;
	st.last_id = ntohl(ph->packet_id);
	have_last = 1;
	if (o.keep) {
		keep_packet(st.last_id, tb[NFQA_PAYLOAD]);
		return;
	}
	if (o.delay_ms)
		sleep_ms(o.delay_ms);
	if (o.hold)
		return;
	if (o.batch <= 1) {
		send_verdict(st.last_id, 0);
	} else if (++pending >= o.batch) {
		flush_pending();
	}
	if (o.count && st.packets >= o.count)
		quit = 1;
}

static void on_error(const struct nlmsghdr *nlh)
{
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
	int err = -e->error;

	if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*e)))
		return;
	if (nlh->nlmsg_seq && nlh->nlmsg_seq == ack_seq) {
		ack_done = 1;
		ack_err = err;
	} else if (nlh->nlmsg_seq && nlh->nlmsg_seq == setup_seq) {
		setup_done = 1;
		setup_err = err;
	} else if (nlh->nlmsg_seq && nlh->nlmsg_seq == toggle_seq) {
		if (err) {
			st.toggle_errors++;
			printf("nfq-listener: fail-open switch failed: %s\n",
			       strerror(err));
		} else {
			printf("nfq-listener: fail-open switch done\n");
		}
		fflush(stdout);
	} else if (err) {
		st.verdict_errors++;
	}
}

static void dispatch(int len)
{
	const struct nlmsghdr *nlh = (const struct nlmsghdr *)buf;

	for (; mnl_nlmsg_ok(nlh, len); nlh = mnl_nlmsg_next(nlh, &len)) {
		if (nlh->nlmsg_type == NLMSG_ERROR)
			on_error(nlh);
		else if (nlh->nlmsg_type ==
			 ((NFNL_SUBSYS_QUEUE << 8) | NFQNL_MSG_PACKET))
			on_packet(nlh);
	}
}

/* Read one batch of messages; 0 on timeout, 1 when something was read. */
static int receive(int timeout_ms)
{
	struct pollfd p = { .fd = mnl_socket_get_fd(nl), .events = POLLIN };
	ssize_t n;

	if (poll(&p, 1, timeout_ms) <= 0)
		return 0;
	n = recv(p.fd, buf, NFQ_BUF_SIZE, MSG_DONTWAIT);
	if (n < 0) {
		if (errno == ENOBUFS)
			st.enobufs++;
		else if (errno != EINTR && errno != EAGAIN) {
			fprintf(stderr, "nfq-listener: recv: %s\n",
				strerror(errno));
			exit(1);
		}
		return 1;
	}
	dispatch((int)n);
	return 1;
}

static void setup(void)
{
	char mbuf[512];
	struct nlmsghdr *nlh;
	uint32_t mask = 0, flags = 0;

	setup_seq = seq++;
	nlh = nfq_msg_start(mbuf, NFQNL_MSG_CONFIG, o.queue, NLM_F_ACK,
			    setup_seq);
	if (!o.no_bind)
		nfq_put_cmd(nlh, NFQNL_CFG_CMD_BIND, 0);
	nfq_put_params(nlh, (uint8_t)o.copy_mode, o.copy_range);
	if (o.maxlen_set)
		mnl_attr_put_u32(nlh, NFQA_CFG_QUEUE_MAXLEN, htonl(o.maxlen));
	if (o.fail_open >= 0) {
		mask |= NFQA_CFG_F_FAIL_OPEN;
		flags |= o.fail_open ? NFQA_CFG_F_FAIL_OPEN : 0;
	}
	if (o.gso) {
		mask |= NFQA_CFG_F_GSO;
		flags |= NFQA_CFG_F_GSO;
	}
	if (o.raw_mask_set)
		mask = o.raw_mask;
	if (o.raw_flags_set)
		flags = o.raw_flags;
	if (mask || o.raw_mask_set)
		mnl_attr_put_u32(nlh, NFQA_CFG_MASK, htonl(mask));
	if (mask || o.raw_flags_set)
		mnl_attr_put_u32(nlh, NFQA_CFG_FLAGS, htonl(flags));
	send_msg(nlh);
	while (!setup_done && !quit)
		receive(1000);
	if (setup_err) {
		fprintf(stderr, "nfq-listener: queue %u: configuration refused: %s\n",
			o.queue, strerror(setup_err));
		exit(1);
	}
}

int main(int argc, char **argv)
{
	struct sigaction sa;
	int c, idle = 0;

	while ((c = getopt(argc, argv, "q:l:d:c:r:b:n:fFGM:V:HDm:R:N12k:o:T:PEK:Sh")) != -1) {
		switch (c) {
		case 'q': o.queue = num(optarg, 65535, c); break;
		case 'l':
			o.maxlen = num(optarg, 0xffffffffUL, c);
			o.maxlen_set = 1;
			break;
		case 'd': o.delay_ms = num(optarg, 3600000, c); break;
		case 'c':
			o.copy_mode = nfq_copy_mode(optarg);
			if (o.copy_mode < 0) {
				fprintf(stderr, "nfq-listener: -c: unknown copy mode '%s' (none, meta, packet)\n",
					optarg);
				return 2;
			}
			break;
		case 'r': o.copy_range = num(optarg, 0xffffffffUL, c); break;
		case 'b': o.batch = num(optarg, 1000000, c); break;
		case 'n': o.count = num(optarg, ~0UL, c); break;
		case 'f': o.fail_open = 1; break;
		case 'F': o.fail_open = 0; break;
		case 'G': o.gso = 1; break;
		case 'M': o.raw_mask = num(optarg, 0xffffffffUL, c); o.raw_mask_set = 1; break;
		case 'V': o.raw_flags = num(optarg, 0xffffffffUL, c); o.raw_flags_set = 1; break;
		case 'H': o.hold = 1; break;
		case 'D': o.drop = 1; break;
		case 'm': o.mark = num(optarg, 0xffffffffUL, c); o.set_mark = 1; break;
		case 'R': o.rcvbuf = num(optarg, 1U << 30, c); break;
		case 'N': o.no_bind = 1; break;
		case '1': o.config_only = 1; break;
		case '2': o.bind_twice = 1; break;
		case 'k': o.keep = num(optarg, 1U << 24, c); break;
		case 'o':
			for (o.order = 0; o.order <= ORDER_MIXED; o.order++)
				if (!strcmp(optarg, order_names[o.order]))
					break;
			if (o.order > ORDER_MIXED) {
				fprintf(stderr, "nfq-listener: -o: unknown order '%s' (newest, oldest, shuffle, mixed)\n",
					optarg);
				return 2;
			}
			break;
		case 'T': o.timed = num(optarg, 1U << 24, c); break;
		case 'P': o.by_payload = 1; break;
		case 'E': o.check_refused = 1; break;
		case 'K': o.relen = num(optarg, 0xffffffffUL, c); break;
		case 'S': o.straggler = 1; break;
		default: usage(argv[0]);
		}
	}
	if (optind != argc) {
		fprintf(stderr, "nfq-listener: unexpected argument '%s'\n", argv[optind]);
		return 2;
	}

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGUSR1, &sa, NULL);
	sigaction(SIGUSR2, &sa, NULL);

	if ((o.by_payload || o.check_refused || o.timed || o.relen ||
	     o.straggler) && !o.keep) {
		fprintf(stderr, "nfq-listener: -P, -E, -T, -K and -S need -k\n");
		return 2;
	}
	buf = malloc(NFQ_BUF_SIZE);
	if (o.keep)
		held = calloc(o.keep + HELD_EXTRA, sizeof(*held));
	if (buf == NULL || (o.keep && held == NULL)) {
		fprintf(stderr, "nfq-listener: out of memory\n");
		return 1;
	}
	nl = nfq_open(o.rcvbuf);
	setup();
	if (o.bind_twice) {
		setup_done = 0;
		setup();
	}
	printf("nfq-listener: queue %u ready (pid %d)\n", o.queue, (int)getpid());
	fflush(stdout);
	if (o.config_only)
		return 0;

	while (!quit) {
		if (want_fail_open >= 0) {
			int on = want_fail_open;

			want_fail_open = -1;
			send_toggle(on);
		}
		if (o.keep && nheld >= o.keep)
			settle();
		if (receive(50)) {
			idle = 0;
		} else {
			flush_pending();
			if (++idle >= 20)
				settle();
		}
	}
	flush_pending();
	if (have_straggler) {
		int err;

		quit = 0;
		err = verdict_answer(straggler_id);
		printf("nfq-listener: straggler id %u: %s\n", straggler_id,
		       err ? strerror(err) : "accepted");
	}

	printf("nfq-listener: queue %u: packets %lu bytes %lu verdicts %lu "
	       "batches %lu verdict-errors %lu enobufs %lu gso %lu "
	       "fail-open-switches %lu switch-errors %lu\n",
	       o.queue, st.packets, st.bytes, st.verdicts, st.batches,
	       st.verdict_errors, st.enobufs, st.gso_packets, st.toggles,
	       st.toggle_errors);
	fflush(stdout);
	mnl_socket_close(nl);
	free(buf);
	return 0;
}
