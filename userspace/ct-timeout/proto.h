/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ct-timeout: the layer 4 protocols the Linux 6.1 connection tracker knows
 * and the timeout states of each, as nfnetlink_cttimeout numbers them.
 */
#ifndef CT_TIMEOUT_PROTO_H
#define CT_TIMEOUT_PROTO_H

#include <stdint.h>

/* Highest CTA_TIMEOUT_*_ attribute number of any protocol (TCP: 11). */
#define CTT_ATTR_MAX 16

/* Longest accepted timeout in seconds: stays below 2^31 jiffies at HZ 1000. */
#define CTT_VALUE_MAX 2147483UL

struct ctt_state {
	const char *name;
	uint16_t attr;
};

struct ctt_proto {
	const char *name;
	uint8_t l4num;
	int family;	/* 0: any layer 3 family, else the only one it fits */
	const struct ctt_state *states;
	unsigned int nstates;
};

const struct ctt_proto *ctt_proto_by_name(const char *name);
const struct ctt_proto *ctt_proto_by_num(uint8_t l4num);
const struct ctt_state *ctt_state_by_name(const struct ctt_proto *p,
					  const char *name);
const struct ctt_state *ctt_state_by_attr(const struct ctt_proto *p,
					  uint16_t attr);
/* "tcp, udp, ..." and "syn_sent, syn_recv, ..." for error messages. */
const char *ctt_proto_names(void);
const char *ctt_state_names(const struct ctt_proto *p);

int ctt_family_by_name(const char *name);	/* AF_INET/AF_INET6 or -1 */
const char *ctt_family_name(int family);

#endif
