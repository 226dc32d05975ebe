/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nfq-proto: the few nfnetlink_queue messages nfext's tools build with libmnl
 * (config, verdict, batch verdict), shared by nfq-listener and nfq-fuzz.
 */
#ifndef NFQ_PROTO_H
#define NFQ_PROTO_H

#include <stdint.h>
#include <libmnl/libmnl.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_queue.h>

/* Room for one packet message with a full 64 KiB payload and metadata. */
#define NFQ_BUF_SIZE (256 * 1024)

/* Start a message of nfnetlink_queue type TYPE for queue QUEUE in BUF. */
struct nlmsghdr *nfq_msg_start(void *buf, uint8_t type, uint16_t queue,
			       uint16_t flags, uint32_t seq);

/* Append a config command (NFQNL_CFG_CMD_*). */
void nfq_put_cmd(struct nlmsghdr *nlh, uint8_t cmd, uint16_t pf);

/* Append copy mode and range. */
void nfq_put_params(struct nlmsghdr *nlh, uint8_t mode, uint32_t range);

/* Append the queue's flag mask and values (NFQA_CFG_F_*). */
void nfq_put_flags(struct nlmsghdr *nlh, uint32_t mask, uint32_t flags);

/* Append a verdict header (NF_ACCEPT, NF_DROP, ...) for packet ID. */
void nfq_put_verdict(struct nlmsghdr *nlh, uint32_t verdict, uint32_t id);

/* Parse a copy mode name: none, meta, packet. -1 when unknown. */
int nfq_copy_mode(const char *name);

/* Open and bind a NETLINK_NETFILTER socket; exits with a message on error. */
struct mnl_socket *nfq_open(unsigned int rcvbuf);

#endif /* NFQ_PROTO_H */
