// SPDX-License-Identifier: GPL-2.0
/*
 * ct-timeout: protocol and state names. Every protocol tracked by Linux 6.1
 * (nf_conntrack_proto_*.c) with the states its ctnl_timeout policy takes.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <linux/netfilter/nfnetlink_cttimeout.h>

#include "proto.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const struct ctt_state tcp_states[] = {
	{ "syn_sent",		CTA_TIMEOUT_TCP_SYN_SENT },
	{ "syn_recv",		CTA_TIMEOUT_TCP_SYN_RECV },
	{ "established",	CTA_TIMEOUT_TCP_ESTABLISHED },
	{ "fin_wait",		CTA_TIMEOUT_TCP_FIN_WAIT },
	{ "close_wait",		CTA_TIMEOUT_TCP_CLOSE_WAIT },
	{ "last_ack",		CTA_TIMEOUT_TCP_LAST_ACK },
	{ "time_wait",		CTA_TIMEOUT_TCP_TIME_WAIT },
	{ "close",		CTA_TIMEOUT_TCP_CLOSE },
	{ "syn_sent2",		CTA_TIMEOUT_TCP_SYN_SENT2 },
	{ "retrans",		CTA_TIMEOUT_TCP_RETRANS },
	{ "unacknowledged",	CTA_TIMEOUT_TCP_UNACK },
};

static const struct ctt_state udp_states[] = {
	{ "unreplied",	CTA_TIMEOUT_UDP_UNREPLIED },
	{ "replied",	CTA_TIMEOUT_UDP_REPLIED },
};

static const struct ctt_state udplite_states[] = {
	{ "unreplied",	CTA_TIMEOUT_UDPLITE_UNREPLIED },
	{ "replied",	CTA_TIMEOUT_UDPLITE_REPLIED },
};

static const struct ctt_state icmp_states[] = {
	{ "timeout",	CTA_TIMEOUT_ICMP_TIMEOUT },
};

static const struct ctt_state icmpv6_states[] = {
	{ "timeout",	CTA_TIMEOUT_ICMPV6_TIMEOUT },
};

/* HEARTBEAT_ACKED is left out: 6.1 no longer enters that state. */
static const struct ctt_state sctp_states[] = {
	{ "closed",		CTA_TIMEOUT_SCTP_CLOSED },
	{ "cookie_wait",	CTA_TIMEOUT_SCTP_COOKIE_WAIT },
	{ "cookie_echoed",	CTA_TIMEOUT_SCTP_COOKIE_ECHOED },
	{ "established",	CTA_TIMEOUT_SCTP_ESTABLISHED },
	{ "shutdown_sent",	CTA_TIMEOUT_SCTP_SHUTDOWN_SENT },
	{ "shutdown_recd",	CTA_TIMEOUT_SCTP_SHUTDOWN_RECD },
	{ "shutdown_ack_sent",	CTA_TIMEOUT_SCTP_SHUTDOWN_ACK_SENT },
	{ "heartbeat_sent",	CTA_TIMEOUT_SCTP_HEARTBEAT_SENT },
};

static const struct ctt_state dccp_states[] = {
	{ "request",	CTA_TIMEOUT_DCCP_REQUEST },
	{ "respond",	CTA_TIMEOUT_DCCP_RESPOND },
	{ "partopen",	CTA_TIMEOUT_DCCP_PARTOPEN },
	{ "open",	CTA_TIMEOUT_DCCP_OPEN },
	{ "closereq",	CTA_TIMEOUT_DCCP_CLOSEREQ },
	{ "closing",	CTA_TIMEOUT_DCCP_CLOSING },
	{ "timewait",	CTA_TIMEOUT_DCCP_TIMEWAIT },
};

static const struct ctt_state gre_states[] = {
	{ "unreplied",	CTA_TIMEOUT_GRE_UNREPLIED },
	{ "replied",	CTA_TIMEOUT_GRE_REPLIED },
};

static const struct ctt_state generic_states[] = {
	{ "timeout",	CTA_TIMEOUT_GENERIC_TIMEOUT },
};

/* The kernel's generic tracker registers itself as protocol 255. */
#define CTT_GENERIC_L4NUM 255

static const struct ctt_proto protos[] = {
	{ "tcp", IPPROTO_TCP, 0, tcp_states, N(tcp_states) },
	{ "udp", IPPROTO_UDP, 0, udp_states, N(udp_states) },
	{ "udplite", IPPROTO_UDPLITE, 0, udplite_states, N(udplite_states) },
	{ "icmp", IPPROTO_ICMP, AF_INET, icmp_states, N(icmp_states) },
	{ "icmpv6", IPPROTO_ICMPV6, AF_INET6, icmpv6_states,
	  N(icmpv6_states) },
	{ "sctp", IPPROTO_SCTP, 0, sctp_states, N(sctp_states) },
	{ "dccp", IPPROTO_DCCP, 0, dccp_states, N(dccp_states) },
	{ "gre", IPPROTO_GRE, 0, gre_states, N(gre_states) },
	{ "generic", CTT_GENERIC_L4NUM, 0, generic_states,
	  N(generic_states) },
};

const struct ctt_proto *ctt_proto_by_name(const char *name)
{
	unsigned int i;

	for (i = 0; i < N(protos); i++)
		if (strcasecmp(protos[i].name, name) == 0)
			return &protos[i];
	/* the spellings iptables and nft use for ICMPv6 */
	if (strcasecmp(name, "ipv6-icmp") == 0 ||
	    strcasecmp(name, "icmp6") == 0)
		return ctt_proto_by_num(IPPROTO_ICMPV6);
	return NULL;
}

const struct ctt_proto *ctt_proto_by_num(uint8_t l4num)
{
	unsigned int i;

	for (i = 0; i < N(protos); i++)
		if (protos[i].l4num == l4num)
			return &protos[i];
	return NULL;
}

const struct ctt_state *ctt_state_by_name(const struct ctt_proto *p,
					  const char *name)
{
	unsigned int i;

	for (i = 0; i < p->nstates; i++)
		if (strcasecmp(p->states[i].name, name) == 0)
			return &p->states[i];
	/* conntrack-tools' short spelling */
	if (p->l4num == IPPROTO_TCP && strcasecmp(name, "unack") == 0)
		return ctt_state_by_attr(p, CTA_TIMEOUT_TCP_UNACK);
	return NULL;
}

const struct ctt_state *ctt_state_by_attr(const struct ctt_proto *p,
					  uint16_t attr)
{
	unsigned int i;

	for (i = 0; i < p->nstates; i++)
		if (p->states[i].attr == attr)
			return &p->states[i];
	return NULL;
}

static void join(char *buf, size_t len, const char *word, int last)
{
	size_t used = strlen(buf);

	snprintf(buf + used, len - used, "%s%s", word, last ? "" : ", ");
}

const char *ctt_proto_names(void)
{
	static char buf[256];
	unsigned int i;

	buf[0] = '\0';
	for (i = 0; i < N(protos); i++)
		join(buf, sizeof(buf), protos[i].name, i + 1 == N(protos));
	return buf;
}

const char *ctt_state_names(const struct ctt_proto *p)
{
	static char buf[512];
	unsigned int i;

	buf[0] = '\0';
	for (i = 0; i < p->nstates; i++)
		join(buf, sizeof(buf), p->states[i].name, i + 1 == p->nstates);
	return buf;
}

int ctt_family_by_name(const char *name)
{
	if (strcasecmp(name, "inet") == 0 || strcasecmp(name, "ipv4") == 0 ||
	    strcasecmp(name, "ip") == 0)
		return AF_INET;
	if (strcasecmp(name, "inet6") == 0 || strcasecmp(name, "ipv6") == 0 ||
	    strcasecmp(name, "ip6") == 0)
		return AF_INET6;
	return -1;
}

const char *ctt_family_name(int family)
{
	switch (family) {
	case AF_INET:
		return "inet";
	case AF_INET6:
		return "inet6";
	}
	return "unknown";
}
