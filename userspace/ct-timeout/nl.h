/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ct-timeout: talking nfnetlink_cttimeout with libmnl.
 */
#ifndef CT_TIMEOUT_NL_H
#define CT_TIMEOUT_NL_H

#include <stdint.h>
#include <linux/netfilter/nfnetlink_cttimeout.h>

#include "proto.h"

/* One timeout policy (or a protocol's defaults) as the kernel reports it. */
struct ctt_policy {
	char name[CTNL_TIMEOUT_NAME_MAX];
	int family;
	uint8_t l4num;
	int has_use;
	uint32_t use;
	uint8_t set[CTT_ATTR_MAX + 1];
	uint32_t value[CTT_ATTR_MAX + 1];
};

struct ctt_list {
	struct ctt_policy *v;
	unsigned int n;
};

struct mnl_socket;

/* Opens and binds the socket; NULL with errno set when that fails. */
struct mnl_socket *ctt_open(void);
void ctt_close(struct mnl_socket *nl);

/*
 * Each returns 0 or a negative errno from the kernel. Replies are appended
 * to *out when out is not NULL (the caller frees out->v).
 */
int ctt_dump(struct mnl_socket *nl, struct ctt_list *out);
int ctt_get(struct mnl_socket *nl, const char *name, struct ctt_list *out);
int ctt_new(struct mnl_socket *nl, const struct ctt_policy *p, int replace);
int ctt_del(struct mnl_socket *nl, const char *name);
int ctt_default_set(struct mnl_socket *nl, const struct ctt_policy *p);
int ctt_default_get(struct mnl_socket *nl, int family, uint8_t l4num,
		    struct ctt_list *out);

#endif
