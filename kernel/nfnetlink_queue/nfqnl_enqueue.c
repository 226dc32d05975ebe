// SPDX-License-Identifier: GPL-2.0
/*
 * nfext nfnetlink_queue: the nf_queue handler, queueing packets, and
 * fail-open.
 *
 * Follows mainline's nfqnl_enqueue_packet() (net/netfilter/nfnetlink_queue.c
 * of 6.1): a packet becomes an NFQNL_MSG_PACKET message unicast to the
 * listener, a GSO packet the listener does not take whole (NFQA_CFG_F_GSO)
 * is segmented first. What differs:
 *  - fail-open per rule, see the token below and nfqnl_queue_full();
 *  - a fail-open packet meeting a full queue is accepted before any message
 *    is built or segment made, and a GSO packet that only partly fits has
 *    its remaining segments accepted (mainline drops them);
 *  - the shared-unconfirmed conntrack check is made once on the packet
 *    before segmentation and again at reinject for the segments that
 *    share the conntrack (mainline 6.1 checks every segment after
 *    segmenting, when the segments share the conntrack, so a GSO packet
 *    of a new UDP flow never reaches a listener without NFQA_CFG_F_GSO);
 *  - the packet, once sent, is held by id in the queue's id table
 *    (nfqnl_ids.c): the verdict finds it in constant time;
 *  - a packet that will be dropped because the queue is full is dropped
 *    before it is segmented or its message built (mainline builds it, then
 *    drops both).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/netdevice.h>
#include <linux/netfilter_bridge.h>
#include <linux/percpu.h>
#include <linux/skbuff.h>
#include <linux/slab.h>
#include <net/netlink.h>
#if IS_ENABLED(CONFIG_NF_CONNTRACK)
#include <net/netfilter/nf_conntrack.h>
#endif

#include "nfqnl.h"
#include "nfqnl_ids.h"
#include "nfqnl_failopen.h"

/* Does the listener get @skb as one message, GSO or not? */
static bool nfqnl_takes_whole(const struct nfqnl_instance *inst,
			      const struct sk_buff *skb)
{
	if (!skb_is_gso(skb))
		return true;
	return (READ_ONCE(inst->flags) & NFQA_CFG_F_GSO) &&
	       !skb_is_gso_sctp(skb);
}

/* How many queue entries @skb will take. */
static u32 nfqnl_segments(const struct nfqnl_instance *inst,
			  const struct sk_buff *skb)
{
	if (nfqnl_takes_whole(inst, skb))
		return 1;
	return max_t(u32, skb_shinfo(skb)->gso_segs, 1);
}

/*
 * Rough truesize of the message(s) for @skb: a linear part rounded up the
 * way kmalloc() rounds it, plus the payload beyond the packet's linear part,
 * which skb_zerocopy() attaches as page fragments.
 */
static u32 nfqnl_msg_truesize(const struct nfqnl_instance *inst,
			      const struct sk_buff *skb, u32 segs)
{
	u32 payload = 0, linear;

	if (READ_ONCE(inst->copy_mode) == NFQNL_COPY_PACKET)
		payload = min(READ_ONCE(inst->copy_range), skb->len / segs);
	linear = min(payload, skb_headlen(skb));
	return roundup_pow_of_two(nfqnl_msg_base_size() + linear +
				  SKB_DATA_ALIGN(sizeof(struct skb_shared_info))) +
	       SKB_DATA_ALIGN(sizeof(struct sk_buff)) + payload - linear;
}

/*
 * Would the listener's socket refuse the (first) message for @skb, which
 * goes out in @segs messages? Netlink takes a message when the socket is
 * empty or has room for its truesize, and after an overrun only once the
 * reader has emptied the socket.
 */
static bool nfqnl_peer_full(struct nfqnl_instance *inst,
			    const struct sk_buff *skb, u32 segs)
{
	struct sock *sk = inst->peer_sk;
	u32 rmem = atomic_read(&sk->sk_rmem_alloc);
	u64 need;

	if (READ_ONCE(inst->sk_overrun)) {
		if (rmem)
			return true;
		WRITE_ONCE(inst->sk_overrun, false);
	}
	if (!rmem)
		return false;
	need = nfqnl_msg_truesize(inst, skb, segs);
	return rmem + need > (u32)READ_ONCE(sk->sk_rcvbuf);
}

/* Does @inst hold as many packets as it may? (lockless callers: a hint) */
static bool nfqnl_full(const struct nfqnl_instance *inst)
{
	return READ_ONCE(inst->total) >= READ_ONCE(inst->maxlen);
}

/*
 * The packet a fail-open rule is handing to a queue on this CPU. The NFQUEUE
 * target asks nfqnl_queue_full() and, on a "no", returns NF_QUEUE at once;
 * nf_queue() then calls nfqnl_enqueue() for the same packet on the same CPU,
 * which takes the token and so knows the packet fails open: the segments of
 * it that no longer fit are accepted, not dropped. Every nfqnl_enqueue()
 * clears the token; a packet that finds someone else's token (a softirq in
 * between, a migration) is treated as coming from a rule without fail-open.
 */
struct nfqnl_token {
	const struct sk_buff	*skb;
	u32			queue;
};

static DEFINE_PER_CPU(struct nfqnl_token, nfqnl_token);

static void nfqnl_token_set(const struct sk_buff *skb, u16 queue)
{
	this_cpu_write(nfqnl_token.skb, skb);
	this_cpu_write(nfqnl_token.queue, queue);
}

static bool nfqnl_token_take(const struct sk_buff *skb, u16 queue)
{
	bool mine = this_cpu_read(nfqnl_token.skb) == skb &&
		    this_cpu_read(nfqnl_token.queue) == queue;

	this_cpu_write(nfqnl_token.skb, NULL);
	return mine;
}

/*
 * Per-rule fail-open (called by the NFQUEUE target, in the hook, under RCU).
 *
 * Full means: no room for another entry, or the listener's socket would
 * refuse the packet's (first) message. When there is room, the packet goes
 * to nfqnl_enqueue() with a token saying it fails open, so the segments of
 * a GSO packet that no longer fit, or a queue that filled up meanwhile
 * (other CPUs queueing), get it accepted as well. Only a lost token (see
 * above) lets the packet be dropped as "queue full" although its rule asked
 * for fail-open; such late drops show in queue_dropped/queue_user_dropped of
 * /proc. The opposite cannot happen: a packet from a rule without fail-open
 * never gets a token, so it is never accepted for a full queue.
 */
bool nfqnl_queue_full(struct net *net, u16 queuenum, const struct sk_buff *skb)
{
	struct nfqnl_instance *inst;
	bool full = false;
	u32 segs;

	rcu_read_lock();
	inst = nfqnl_find(nfqnl_pernet(net), queuenum);
	if (inst) {
		segs = nfqnl_segments(inst, skb);
		full = nfqnl_full(inst) ||
		       nfqnl_peer_full(inst, skb, segs);
		if (full)
			atomic_add(segs, &inst->failopen_accepted);
		else
			nfqnl_token_set(skb, queuenum);
	}
	rcu_read_unlock();
	return full;
}
EXPORT_SYMBOL_GPL(nfqnl_queue_full);

/* A packet meets a full queue and is dropped. Called with the lock held. */
static int nfqnl_drop_full(struct nfqnl_instance *inst)
{
	inst->dropped++;
	net_warn_ratelimited("nf_queue: full at %u entries, dropping packet(s)\n",
			     inst->total);
	return -ENOBUFS;
}

/*
 * @entry meets a full queue (a lockless look) before anything is built for
 * it: a listener that falls behind keeps its queue full, and mainline builds
 * (segments, allocates and copies) a message for every packet it then
 * drops, taking that time from the listener's CPU.
 *  - fail-open: the packet is accepted, the same packets passing as if each
 *    had been refused by the queue;
 *  - otherwise it is dropped, once the lock confirms the queue full, so a
 *    packet is dropped only when it would have been after building as well.
 * Returns 1 when the queue turned out to have room: go on and queue it.
 */
static int nfqnl_meet_full(struct nfqnl_instance *inst,
			   struct nf_queue_entry *entry, bool failopen)
{
	int ret = 1;

	if (failopen) {
		atomic_add(nfqnl_segments(inst, entry->skb),
			   &inst->failopen_accepted);
		nfqnl_reinject(entry, NF_ACCEPT);
		return 0;
	}
	spin_lock_bh(&inst->lock);
	if (inst->total >= inst->maxlen)
		ret = nfqnl_drop_full(inst);
	spin_unlock_bh(&inst->lock);
	return ret;
}

/*
 * Hand one (non-GSO, or GSO the listener takes) packet to the listener. The
 * queue is checked again under the lock: other CPUs, or the earlier segments
 * of the same GSO packet, may have filled it.
 */
static __always_inline int nfqnl_send(struct net *net,
				      struct nfqnl_instance *inst,
				      struct nf_queue_entry *entry,
				      bool failopen)
{
	struct sk_buff *msg;
	bool accept = false;
	__be32 *id_field;
	int err = 0;

	msg = nfqnl_build_packet(inst, entry, &id_field);
	if (!msg)
		return -ENOMEM;

	spin_lock_bh(&inst->lock);
	if (inst->total >= inst->maxlen) {
		kfree_skb(msg);
		if (failopen)
			accept = true;
		else
			err = nfqnl_drop_full(inst);
		goto out;
	}

	entry->id = ++inst->id_seq;
	*id_field = htonl(entry->id);

	/* consumes msg whatever happens */
	err = nfnetlink_unicast(msg, net, inst->peer_portid);
	if (err < 0) {
		WRITE_ONCE(inst->sk_overrun, true);
		if (failopen) {
			accept = true;
			err = 0;
		} else {
			inst->user_dropped++;
		}
		goto out;
	}

	nfqnl_hold(inst, entry);
out:
	spin_unlock_bh(&inst->lock);
	if (accept) {
		atomic_inc(&inst->failopen_accepted);
		nfqnl_reinject(entry, NF_ACCEPT);
	}
	return err;
}

#if IS_ENABLED(CONFIG_BRIDGE_NETFILTER)
/* Segmenting a bridged packet needs skb->data at the MAC header. */
static void nfqnl_bridge_push(struct sk_buff *skb)
{
	if (nf_bridge_info_get(skb))
		__skb_push(skb, skb->network_header - skb->mac_header);
}

static void nfqnl_bridge_pull(struct sk_buff *skb)
{
	if (nf_bridge_info_get(skb))
		__skb_pull(skb, skb->network_header - skb->mac_header);
}
#else
static void nfqnl_bridge_push(struct sk_buff *skb) { }
static void nfqnl_bridge_pull(struct sk_buff *skb) { }
#endif

/*
 * Queue one segment. The last one travels in @entry itself, the others in
 * copies of it. On error the caller frees @seg.
 */
static int nfqnl_send_segment(struct net *net, struct nfqnl_instance *inst,
			      struct nf_queue_entry *entry,
			      struct sk_buff *seg, bool failopen)
{
	struct nf_queue_entry *copy;
	struct sk_buff *orig;
	int err;

	nfqnl_bridge_pull(seg);

	if (!seg->next) {
		orig = entry->skb;
		entry->skb = seg;
		err = nfqnl_send(net, inst, entry, failopen);
		if (err)
			entry->skb = orig;
		return err;
	}

	skb_mark_not_on_list(seg);
	copy = kmemdup(entry, entry->size, GFP_ATOMIC);
	if (!copy)
		return -ENOMEM;
	if (!nf_queue_entry_get_refs(copy)) {
		kfree(copy);
		return -ENOMEM;
	}
	copy->skb = seg;
	err = nfqnl_send(net, inst, copy, failopen);
	if (err)
		nf_queue_entry_free(copy);
	return err;
}

static int nfqnl_send_gso(struct net *net, struct nfqnl_instance *inst,
			  struct nf_queue_entry *entry, bool unconfirmed,
			  bool failopen)
{
	struct sk_buff *skb = entry->skb, *segs, *seg, *next;
	unsigned int queued = 0;
	int err = 0;

	nfqnl_bridge_push(skb);
	segs = skb_gso_segment(skb, 0);
	/* nf_queue() gives -ESRCH a meaning of its own: keep errors plain */
	if (IS_ERR_OR_NULL(segs)) {
		nfqnl_bridge_pull(skb);
		return -ENOBUFS;
	}

	skb_list_walk_safe(segs, seg, next) {
		/* segments share the conntrack: only the first may confirm */
		if (unconfirmed && queued)
			entry->nf_ct_is_unconfirmed = true;
		if (!err)
			err = nfqnl_send_segment(net, inst, entry, seg,
						 failopen);
		if (!err)
			queued++;
		else
			kfree_skb(seg);
	}

	if (!queued) {
		nfqnl_bridge_pull(skb);
		return err;
	}
	/* @entry went out with the last segment unless that one failed */
	if (err)
		nf_queue_entry_free(entry);
	kfree_skb(skb);
	return 0;
}

int nfqnl_enqueue(struct nf_queue_entry *entry, unsigned int queuenum)
{
	struct net *net = entry->state.net;
	struct nfqnl_instance *inst;
	bool unconfirmed = false;
	struct sk_buff *skb;
	bool failopen;
	int ret;

	failopen = nfqnl_token_take(entry->skb, queuenum);
	/* nf_queue() holds rcu_read_lock() */
	inst = nfqnl_find(nfqnl_pernet(net), queuenum);
	if (!inst)
		return -ESRCH;
	if (READ_ONCE(inst->copy_mode) == NFQNL_COPY_NONE)
		return -EINVAL;
	if (READ_ONCE(inst->flags) & NFQA_CFG_F_FAIL_OPEN)
		failopen = true;

	skb = entry->skb;
	if (entry->state.pf == NFPROTO_IPV4)
		skb->protocol = htons(ETH_P_IP);
	else if (entry->state.pf == NFPROTO_IPV6)
		skb->protocol = htons(ETH_P_IPV6);

	if (nfqnl_ct_shared_unconfirmed(entry, &unconfirmed))
		return -EINVAL;

	if (nfqnl_full(inst)) {
		ret = nfqnl_meet_full(inst, entry, failopen);
		if (ret <= 0)
			return ret;
	}
	if (nfqnl_takes_whole(inst, skb))
		return nfqnl_send(net, inst, entry, failopen);
	return nfqnl_send_gso(net, inst, entry, unconfirmed, failopen);
}
