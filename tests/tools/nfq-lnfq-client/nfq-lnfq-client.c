// SPDX-License-Identifier: GPL-2.0
/*
 * nfq-lnfq-client: a plain libnetfilter_queue client, built against Debian's
 * libnetfilter-queue-dev, to show that unmodified clients of the classic API
 * work with nfext's queue handler. It binds a queue, reads packets with
 * their metadata, and accepts them with an optional mark and optional
 * same-length payload rewrite (IPv4/UDP: the UDP checksum is then cleared).
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/ip.h>
#include <netinet/udp.h>
#include <linux/netfilter.h>
#include <libnetfilter_queue/libnetfilter_queue.h>

static volatile sig_atomic_t quit;
static unsigned long packets, bytes, with_indev, rewritten, count;
static unsigned int mark;
static int set_mark, verbose;
static const char *from, *to;

static void on_signal(int sig)
{
	(void)sig;
	quit = 1;
}

/* Rewrite FROM to TO in an IPv4/UDP payload; returns 1 when it did. */
static int rewrite(unsigned char *pkt, int len)
{
	struct iphdr *ip = (struct iphdr *)pkt;
	size_t n = strlen(from);
	struct udphdr *udp;
	int hl, i;

	if (len < (int)sizeof(*ip) || ip->version != 4 ||
	    ip->protocol != IPPROTO_UDP)
		return 0;
	hl = ip->ihl * 4;
	if (len < hl + (int)sizeof(*udp))
		return 0;
	udp = (struct udphdr *)(pkt + hl);
	for (i = hl + sizeof(*udp); i + (int)n <= len; i++) {
		if (memcmp(pkt + i, from, n) == 0) {
			memcpy(pkt + i, to, n);
			udp->check = 0;
			return 1;
		}
	}
	return 0;
}

/*
 * One line per packet: the header, devices, mark, length, then the
 * optional attributes as libnetfilter_queue reports them (hw: the source
 * link address or "-", ts: the timestamp's seconds or 0, uid/gid or -).
 */
static void print_packet(struct nfq_data *nfa,
			 const struct nfqnl_msg_packet_hdr *ph,
			 uint32_t indev, int len)
{
	struct nfqnl_msg_packet_hw *hw = nfq_get_packet_hw(nfa);
	char hwtxt[3 * 8] = "-";
	struct timeval tv = { 0, 0 };
	uint32_t uid, gid;
	char ids[32] = "-";
	unsigned int i, n;

	if (hw) {
		n = ntohs(hw->hw_addrlen);
		/* "aa:bb:...": 3 characters an octet, the first without ':' */
		for (i = 0; i < n && i < 8; i++)
			snprintf(hwtxt + (i ? 3 * i - 1 : 0),
				 sizeof(hwtxt) - (i ? 3 * i - 1 : 0), "%s%02x",
				 i ? ":" : "", hw->hw_addr[i]);
	}
	if (nfq_get_timestamp(nfa, &tv) < 0)
		tv.tv_sec = 0;
	if (nfq_get_uid(nfa, &uid) && nfq_get_gid(nfa, &gid))
		snprintf(ids, sizeof(ids), "%u/%u", uid, gid);
	printf("packet id %u hook %u proto 0x%04x indev %u outdev %u mark 0x%x len %d hw %s ts %ld uidgid %s\n",
	       ntohl(ph->packet_id), ph->hook, ntohs(ph->hw_protocol), indev,
	       nfq_get_outdev(nfa), nfq_get_nfmark(nfa), len, hwtxt,
	       (long)tv.tv_sec, ids);
}

static int on_packet(struct nfq_q_handle *qh, struct nfgenmsg *nfmsg,
		     struct nfq_data *nfa, void *data)
{
	struct nfqnl_msg_packet_hdr *ph = nfq_get_msg_packet_hdr(nfa);
	unsigned char *payload = NULL;
	uint32_t id, indev;
	int len, changed = 0;

	(void)nfmsg;
	(void)data;
	if (ph == NULL)
		return -1;
	id = ntohl(ph->packet_id);
	len = nfq_get_payload(nfa, &payload);
	indev = nfq_get_indev(nfa);
	packets++;
	if (len > 0)
		bytes += len;
	if (indev)
		with_indev++;
	if (verbose)
		print_packet(nfa, ph, indev, len);
	if (from && len > 0 && rewrite(payload, len)) {
		changed = 1;
		rewritten++;
	}
	if (count && packets >= count)
		quit = 1;
	return nfq_set_verdict2(qh, id, NF_ACCEPT,
				set_mark ? mark : nfq_get_nfmark(nfa),
				changed ? (uint32_t)len : 0,
				changed ? payload : NULL);
}

static void usage(void)
{
	fprintf(stderr,
		"usage: nfq-lnfq-client [-q NUM] [-l MAXLEN] [-f] [-u] [-m MARK] [-n COUNT]\n"
		"                       [-x FROM:TO] [-v]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	unsigned int queue = 0, maxlen = 0;
	int fail_open = 0, uid_gid = 0, c, fd, n;
	struct nfq_q_handle *qh;
	struct nfq_handle *h;
	struct sigaction sa;
	char *sep;
	static char buf[256 * 1024];

	while ((c = getopt(argc, argv, "q:l:fum:n:x:v")) != -1) {
		switch (c) {
		case 'q': queue = strtoul(optarg, NULL, 0); break;
		case 'l': maxlen = strtoul(optarg, NULL, 0); break;
		case 'f': fail_open = 1; break;
		case 'u': uid_gid = 1; break;
		case 'm': mark = strtoul(optarg, NULL, 0); set_mark = 1; break;
		case 'n': count = strtoul(optarg, NULL, 0); break;
		case 'x':
			sep = strchr(optarg, ':');
			if (sep == NULL || strlen(sep + 1) != (size_t)(sep - optarg) ||
			    sep == optarg) {
				fprintf(stderr, "nfq-lnfq-client: -x needs FROM:TO of the same length\n");
				return 2;
			}
			*sep = '\0';
			from = optarg;
			to = sep + 1;
			break;
		case 'v': verbose = 1; break;
		default: usage();
		}
	}

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	h = nfq_open();
	if (h == NULL) {
		perror("nfq_open");
		return 1;
	}
	if (nfq_bind_pf(h, AF_INET) < 0) {
		perror("nfq_bind_pf");
		return 1;
	}
	qh = nfq_create_queue(h, queue, on_packet, NULL);
	if (qh == NULL) {
		perror("nfq_create_queue");
		return 1;
	}
	if (nfq_set_mode(qh, NFQNL_COPY_PACKET, 0xffff) < 0) {
		perror("nfq_set_mode");
		return 1;
	}
	if (maxlen && nfq_set_queue_maxlen(qh, maxlen) < 0) {
		perror("nfq_set_queue_maxlen");
		return 1;
	}
	if (fail_open &&
	    nfq_set_queue_flags(qh, NFQA_CFG_F_FAIL_OPEN, NFQA_CFG_F_FAIL_OPEN) < 0) {
		perror("nfq_set_queue_flags");
		return 1;
	}
	if (uid_gid &&
	    nfq_set_queue_flags(qh, NFQA_CFG_F_UID_GID, NFQA_CFG_F_UID_GID) < 0) {
		perror("nfq_set_queue_flags");
		return 1;
	}
	printf("nfq-lnfq-client: queue %u ready\n", queue);
	fflush(stdout);

	fd = nfq_fd(h);
	while (!quit) {
		n = recv(fd, buf, sizeof(buf), 0);
		if (n < 0) {
			if (errno == EINTR || errno == ENOBUFS)
				continue;
			perror("recv");
			break;
		}
		nfq_handle_packet(h, buf, n);
		fflush(stdout);
	}
	nfq_destroy_queue(qh);
	nfq_close(h);
	printf("nfq-lnfq-client: packets %lu bytes %lu with-indev %lu rewritten %lu\n",
	       packets, bytes, with_indev, rewritten);
	return 0;
}
