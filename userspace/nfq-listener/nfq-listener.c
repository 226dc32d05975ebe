// SPDX-License-Identifier: GPL-2.0
/*
 * nfq-listener: an NFQUEUE listener speaking nfnetlink_queue with libmnl,
 * modelled on the slow-DPI test program of the fail-open design notes:
 * it sleeps a configurable time per packet, sends verdicts one by one or in
 * batches, and switches its queue's fail-open flag at run time (SIGUSR1 on,
 * SIGUSR2 off). SIGINT/SIGTERM end it; it prints its statistics on exit.
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
	unsigned int maxlen;		/* 0: leave the kernel's default */
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
	if (nlh->nlmsg_seq && nlh->nlmsg_seq == setup_seq) {
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
	if (o.maxlen)
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
	int c;

	while ((c = getopt(argc, argv, "q:l:d:c:r:b:n:fFGM:V:HDm:R:N12h")) != -1) {
		switch (c) {
		case 'q': o.queue = num(optarg, 65535, c); break;
		case 'l': o.maxlen = num(optarg, 0xffffffffUL, c); break;
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

	buf = malloc(NFQ_BUF_SIZE);
	if (buf == NULL) {
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
		if (!receive(50))
			flush_pending();
	}
	flush_pending();

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
