/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nfext nfnetlink_queue: state shared by the files of the module.
 *
 * nfqnl_core.c     queue instances, per-netns state, reinjection, notifiers
 *                  and the module entry points
 * nfqnl_enqueue.c  the nf_queue handler: queueing packets (GSO included) and
 *                  fail-open (queue flag and per-rule, nfqnl_queue_full())
 * nfqnl_ids.c      the packet id table: a verdict's packet in constant time
 *                  (nfqnl_ids.h: its inline part, for every packet)
 * nfqnl_config.c   NFQNL_MSG_CONFIG (bind, unbind, copy mode, length, flags)
 * nfqnl_msg.c      building NFQNL_MSG_PACKET messages
 * nfqnl_verdict.c  NFQNL_MSG_VERDICT and NFQNL_MSG_VERDICT_BATCH
 * nfqnl_proc.c     /proc/net/netfilter/nfnetlink_queue
 */
#ifndef _NFQNL_H
#define _NFQNL_H

#include <linux/atomic.h>
#include <linux/list.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_queue.h>
#include <linux/rcupdate.h>
#include <linux/spinlock.h>
#include <net/netfilter/nf_queue.h>
#include <net/netns/generic.h>
#include <net/sock.h>
#if IS_ENABLED(CONFIG_NF_CONNTRACK)
#include <net/netfilter/nf_conntrack.h>
#endif

/* queue length a freshly bound queue gets */
#define NFQNL_DEFAULT_MAXLEN	1024
/* NFQA_PAYLOAD's nla_len is 16 bits and includes the attribute header */
#define NFQNL_COPY_RANGE_MAX	(0xffff - NLA_HDRLEN)
#define NFQNL_HASH_SIZE		16

/* packet id -> held packet, direct-mapped; see nfqnl_ids.c */
struct nfqnl_ids_slot {
	struct nf_queue_entry	*entry;		/* NULL: the slot is free */
	u32			id;		/* entry->id, read without it */
};

struct nfqnl_ids {
	unsigned int		mask;		/* slots - 1 (a power of two) */
	struct nfqnl_ids_slot	slot[];
};

struct nfqnl_instance {
	struct hlist_node	node;		/* in nfqnl_net.table[] */
	struct rcu_head		rcu;
	/*
	 * The listener's socket. It is only read under RCU: the instance is
	 * unhashed by the NETLINK_URELEASE notifier, which runs before
	 * netlink_release() hands the socket to call_rcu() for freeing.
	 */
	struct sock		*peer_sk;
	u32			peer_portid;
	u16			queue_num;
	u8			copy_mode;	/* enum nfqnl_config_mode */
	bool			sk_overrun;	/* last unicast failed */
	u32			copy_range;
	u32			maxlen;
	u32			flags;		/* NFQA_CFG_F_* */
	atomic_t		failopen_accepted;

	/* written for every queued packet: own cache line */
	spinlock_t		lock ____cacheline_aligned_in_smp;
	unsigned int		total;		/* packets held */
	unsigned int		id_seq;		/* last packet id given */
	unsigned int		dropped;	/* queue full, no fail-open */
	unsigned int		user_dropped;	/* unicast failed */
	unsigned int		unhashed;	/* held, not in ids (stragglers) */
	struct nfqnl_ids	*ids;		/* held packets by id */
	struct list_head	entries;	/* in id order */
};

struct nfqnl_net {
	spinlock_t		lock;		/* writers of table[] */
	struct hlist_head	table[NFQNL_HASH_SIZE];
};

/*
 * The small helpers of the packet path are inline: every packet meets them
 * in nfqnl_enqueue() and at its verdict.
 */
extern unsigned int nfqnl_net_id;

static inline struct nfqnl_net *nfqnl_pernet(struct net *net)
{
	return net_generic(net, nfqnl_net_id);
}

static inline unsigned int nfqnl_hash(u16 queue_num)
{
	return (queue_num ^ (queue_num >> 8)) % NFQNL_HASH_SIZE;
}

/* The instance of queue @queue_num. Caller holds rcu_read_lock() or q->lock. */
static inline struct nfqnl_instance *nfqnl_find(struct nfqnl_net *q,
						u16 queue_num)
{
	struct nfqnl_instance *inst;

	hlist_for_each_entry_rcu(inst, &q->table[nfqnl_hash(queue_num)], node,
				 lockdep_is_held(&q->lock)) {
		if (inst->queue_num == queue_num)
			return inst;
	}
	return NULL;
}

/*
 * Does @entry carry a conntrack that is not confirmed yet and that someone
 * else also references? Conntrack expects exclusive use of unconfirmed
 * entries (their extensions may be changed), so such packets cannot leave
 * for userspace, nor come back once another copy went on. *@unconfirmed,
 * when given, is set for any unconfirmed conntrack.
 */
static inline bool nfqnl_ct_shared_unconfirmed(const struct nf_queue_entry *entry,
					       bool *unconfirmed)
{
#if IS_ENABLED(CONFIG_NF_CONNTRACK)
	struct nf_conn *ct = (struct nf_conn *)skb_nfct(entry->skb);

	if (!ct || nf_ct_is_confirmed(ct))
		return false;
	if (unconfirmed)
		*unconfirmed = true;
	return refcount_read(&ct->ct_general.use) > 1;
#else
	return false;
#endif
}

struct nfqnl_instance *nfqnl_instance_create(struct nfqnl_net *q,
					     u16 queue_num, u32 portid,
					     struct sock *sk);
void nfqnl_instance_destroy(struct nfqnl_net *q, struct nfqnl_instance *inst);
void nfqnl_reinject(struct nf_queue_entry *entry, unsigned int verdict);

int nfqnl_enqueue(struct nf_queue_entry *entry, unsigned int queuenum);

struct nfqnl_ids *nfqnl_ids_alloc(u32 maxlen);
void nfqnl_ids_free(struct nfqnl_ids *ids);
struct nfqnl_ids *nfqnl_ids_replace(struct nfqnl_instance *inst,
				    struct nfqnl_ids *ids);
struct nf_queue_entry *nfqnl_take(struct nfqnl_instance *inst, u32 id);

size_t nfqnl_msg_base_size(void);
struct sk_buff *nfqnl_build_packet(struct nfqnl_instance *inst,
				   struct nf_queue_entry *entry,
				   __be32 **id_field);

int nfqnl_recv_config(struct sk_buff *skb, const struct nfnl_info *info,
		      const struct nlattr * const nfqa[]);
int nfqnl_recv_verdict(struct sk_buff *skb, const struct nfnl_info *info,
		       const struct nlattr * const nfqa[]);
int nfqnl_recv_verdict_batch(struct sk_buff *skb, const struct nfnl_info *info,
			     const struct nlattr * const nfqa[]);
extern const struct nla_policy nfqnl_cfg_policy[NFQA_CFG_MAX + 1];
extern const struct nla_policy nfqnl_verdict_policy[NFQA_MAX + 1];
extern const struct nla_policy nfqnl_batch_policy[NFQA_MAX + 1];

int nfqnl_proc_init(struct net *net);
void nfqnl_proc_exit(struct net *net);

#endif /* _NFQNL_H */
