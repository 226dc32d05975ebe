// SPDX-License-Identifier: GPL-2.0
/*
 * nfext nfnetlink_queue: queue instances and the nf_queue handler.
 *
 * A queue instance belongs to the netlink socket that bound it (its portid)
 * in one network namespace. Packets handed to the handler are turned into
 * NFQNL_MSG_PACKET messages, unicast to that socket and kept in the
 * instance's list until a verdict arrives, the socket goes away, a device
 * they use goes down, or netfilter hooks are unregistered.
 *
 * Fail-open: a queue with NFQA_CFG_F_FAIL_OPEN accepts the packets it cannot
 * take (queue full or the socket full). Rules can ask for fail-open per
 * packet through nfqnl_queue_full(), see nfqnl_failopen.h and xt_NFQUEUE.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/netdevice.h>
#include <linux/netfilter_bridge.h>
#include <linux/notifier.h>
#include <linux/slab.h>
#include <linux/skbuff.h>
#include <net/netlink.h>
#include <net/netns/generic.h>
#if IS_ENABLED(CONFIG_NF_CONNTRACK)
#include <net/netfilter/nf_conntrack.h>
#endif

#include "nfqnl.h"
#include "nfqnl_failopen.h"

static unsigned int nfqnl_net_id __read_mostly;

struct nfqnl_net *nfqnl_pernet(struct net *net)
{
	return net_generic(net, nfqnl_net_id);
}

static unsigned int nfqnl_hash(u16 queue_num)
{
	return (queue_num ^ (queue_num >> 8)) % NFQNL_HASH_SIZE;
}

/* Caller holds rcu_read_lock() or q->lock. */
struct nfqnl_instance *nfqnl_find(struct nfqnl_net *q, u16 queue_num)
{
	struct nfqnl_instance *inst;

	hlist_for_each_entry_rcu(inst, &q->table[nfqnl_hash(queue_num)], node,
				 lockdep_is_held(&q->lock)) {
		if (inst->queue_num == queue_num)
			return inst;
	}
	return NULL;
}

struct nfqnl_instance *nfqnl_instance_create(struct nfqnl_net *q,
					     u16 queue_num, u32 portid,
					     struct sock *sk)
{
	struct nfqnl_instance *inst;
	int err = 0;

	inst = kzalloc(sizeof(*inst), GFP_KERNEL_ACCOUNT);
	if (!inst)
		return ERR_PTR(-ENOMEM);

	inst->queue_num = queue_num;
	inst->peer_portid = portid;
	inst->peer_sk = sk;
	inst->maxlen = NFQNL_DEFAULT_MAXLEN;
	inst->copy_mode = NFQNL_COPY_NONE;
	inst->copy_range = NFQNL_COPY_RANGE_MAX;
	atomic_set(&inst->failopen_accepted, 0);
	spin_lock_init(&inst->lock);
	INIT_LIST_HEAD(&inst->entries);

	spin_lock(&q->lock);
	if (nfqnl_find(q, queue_num))
		err = -EEXIST;
	else
		hlist_add_head_rcu(&inst->node,
				   &q->table[nfqnl_hash(queue_num)]);
	spin_unlock(&q->lock);

	if (err) {
		kfree(inst);
		return ERR_PTR(err);
	}
	return inst;
}

/* Drop the packets of @inst that @match selects (all when it is NULL). */
static void nfqnl_flush(struct nfqnl_instance *inst,
			bool (*match)(struct nf_queue_entry *, int),
			int arg)
{
	struct nf_queue_entry *entry, *tmp;
	LIST_HEAD(doomed);

	spin_lock_bh(&inst->lock);
	list_for_each_entry_safe(entry, tmp, &inst->entries, list) {
		if (match && !match(entry, arg))
			continue;
		list_move_tail(&entry->list, &doomed);
		inst->total--;
	}
	spin_unlock_bh(&inst->lock);

	list_for_each_entry_safe(entry, tmp, &doomed, list) {
		list_del(&entry->list);
		nfqnl_reinject(entry, NF_DROP);
	}
}

static void nfqnl_instance_free_rcu(struct rcu_head *head)
{
	struct nfqnl_instance *inst;

	inst = container_of(head, struct nfqnl_instance, rcu);
	rcu_read_lock();
	nfqnl_flush(inst, NULL, 0);
	rcu_read_unlock();
	kfree(inst);
}

/* Caller holds q->lock. */
static void __nfqnl_instance_destroy(struct nfqnl_instance *inst)
{
	hlist_del_rcu(&inst->node);
	/* readers may still add packets: flush after a grace period */
	call_rcu(&inst->rcu, nfqnl_instance_free_rcu);
}

void nfqnl_instance_destroy(struct nfqnl_net *q, struct nfqnl_instance *inst)
{
	spin_lock(&q->lock);
	__nfqnl_instance_destroy(inst);
	spin_unlock(&q->lock);
}

/*
 * Does @entry carry a conntrack that is not confirmed yet and that someone
 * else also references? Conntrack expects exclusive use of unconfirmed
 * entries (their extensions may be changed), so such packets cannot leave
 * for userspace, nor come back once another copy went on.
 */
static bool nfqnl_ct_shared_unconfirmed(const struct nf_queue_entry *entry,
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

static bool nfqnl_port_ok(const struct net_device *dev)
{
	return !dev || netif_is_bridge_port(dev);
}

/*
 * A bridge port may have left its bridge while its packet was in userspace;
 * such packets cannot be reinjected into the bridge path.
 */
static bool nfqnl_bridge_ports_ok(const struct nf_queue_entry *entry)
{
#if IS_ENABLED(CONFIG_BRIDGE_NETFILTER)
	if (!nfqnl_port_ok(entry->physin) || !nfqnl_port_ok(entry->physout))
		return false;
#endif
	if (entry->state.pf != NFPROTO_BRIDGE)
		return true;
	return nfqnl_port_ok(entry->state.in) && nfqnl_port_ok(entry->state.out);
}

void nfqnl_reinject(struct nf_queue_entry *entry, unsigned int verdict)
{
	const struct nf_ct_hook *ct_hook;

	if (!nfqnl_bridge_ports_ok(entry))
		verdict = NF_DROP;

	switch (verdict & NF_VERDICT_MASK) {
	case NF_ACCEPT:
	case NF_REPEAT:
	case NF_STOP:
		/* the listener may have changed the conntrack (NFQA_CT) */
		rcu_read_lock();
		ct_hook = rcu_dereference(nf_ct_hook);
		if (ct_hook && ct_hook->update(entry->state.net, entry->skb) < 0)
			verdict = NF_DROP;
		rcu_read_unlock();
		break;
	}

	/*
	 * A GSO segment other than the first one shares an unconfirmed
	 * conntrack: it may only go on once the first one confirmed it.
	 */
	if (verdict != NF_DROP && entry->nf_ct_is_unconfirmed &&
	    nfqnl_ct_shared_unconfirmed(entry, NULL))
		verdict = NF_DROP;

	nf_reinject(entry, verdict);
}

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

/* Hand one (non-GSO, or GSO the listener takes) packet to the listener. */
static int nfqnl_send(struct net *net, struct nfqnl_instance *inst,
		      struct nf_queue_entry *entry, bool failopen)
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
		if (failopen) {
			accept = true;
		} else {
			inst->dropped++;
			net_warn_ratelimited("nf_queue: full at %u entries, dropping packet(s)\n",
					     inst->total);
			err = -ENOBUFS;
		}
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

	list_add_tail(&entry->list, &inst->entries);
	inst->total++;
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

static int nfqnl_enqueue(struct nf_queue_entry *entry, unsigned int queuenum)
{
	struct net *net = entry->state.net;
	struct nfqnl_instance *inst;
	bool unconfirmed = false;
	struct sk_buff *skb;
	bool failopen;

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

	/*
	 * A fail-open packet meeting a full queue is accepted right here,
	 * before a message is built for it or a GSO packet is segmented: the
	 * same packets pass as if each had been refused by the queue, at a
	 * fraction of the cost. (nfqnl_send() checks again under the lock.)
	 */
	if (failopen && nfqnl_full(inst)) {
		atomic_add(nfqnl_segments(inst, skb), &inst->failopen_accepted);
		nfqnl_reinject(entry, NF_ACCEPT);
		return 0;
	}
	if (nfqnl_takes_whole(inst, skb))
		return nfqnl_send(net, inst, entry, failopen);
	return nfqnl_send_gso(net, inst, entry, unconfirmed, failopen);
}

/* Every hook was unregistered somewhere in @net: drop what we hold. */
static void nfqnl_nf_hook_drop(struct net *net)
{
	struct nfqnl_net *q = nfqnl_pernet(net);
	struct nfqnl_instance *inst;
	unsigned int i;

	/* also called on netns setup unwind, before our init ran */
	if (!q)
		return;

	for (i = 0; i < NFQNL_HASH_SIZE; i++)
		hlist_for_each_entry_rcu(inst, &q->table[i], node)
			nfqnl_flush(inst, NULL, 0);
}

static const struct nf_queue_handler nfqnl_handler = {
	.outfn		= nfqnl_enqueue,
	.nf_hook_drop	= nfqnl_nf_hook_drop,
};

static bool nfqnl_uses_dev(struct nf_queue_entry *entry, int ifindex)
{
#if IS_ENABLED(CONFIG_BRIDGE_NETFILTER)
	if (nf_bridge_get_physinif(entry->skb) == ifindex ||
	    nf_bridge_get_physoutif(entry->skb) == ifindex)
		return true;
	if (entry->bridge_dev && entry->bridge_dev->ifindex == ifindex)
		return true;
#endif
	if (entry->skb_dev && entry->skb_dev->ifindex == ifindex)
		return true;
	if (entry->state.in && entry->state.in->ifindex == ifindex)
		return true;
	return entry->state.out && entry->state.out->ifindex == ifindex;
}

static int nfqnl_dev_event(struct notifier_block *nb, unsigned long event,
			   void *ptr)
{
	struct net_device *dev = netdev_notifier_info_to_dev(ptr);
	struct nfqnl_net *q = nfqnl_pernet(dev_net(dev));
	struct nfqnl_instance *inst;
	unsigned int i;

	if (event != NETDEV_DOWN)
		return NOTIFY_DONE;

	rcu_read_lock();
	for (i = 0; i < NFQNL_HASH_SIZE; i++)
		hlist_for_each_entry_rcu(inst, &q->table[i], node)
			nfqnl_flush(inst, nfqnl_uses_dev, dev->ifindex);
	rcu_read_unlock();
	return NOTIFY_DONE;
}

static struct notifier_block nfqnl_dev_notifier = {
	.notifier_call	= nfqnl_dev_event,
};

/* A netlink socket is closing: its queues and their packets go. */
static int nfqnl_nl_event(struct notifier_block *nb, unsigned long event,
			  void *ptr)
{
	struct netlink_notify *n = ptr;
	struct nfqnl_instance *inst;
	struct hlist_node *tmp;
	struct nfqnl_net *q;
	unsigned int i;

	if (event != NETLINK_URELEASE || n->protocol != NETLINK_NETFILTER)
		return NOTIFY_DONE;

	q = nfqnl_pernet(n->net);
	nfnl_lock(NFNL_SUBSYS_QUEUE);
	spin_lock(&q->lock);
	for (i = 0; i < NFQNL_HASH_SIZE; i++)
		hlist_for_each_entry_safe(inst, tmp, &q->table[i], node)
			if (inst->peer_portid == n->portid)
				__nfqnl_instance_destroy(inst);
	spin_unlock(&q->lock);
	nfnl_unlock(NFNL_SUBSYS_QUEUE);
	return NOTIFY_DONE;
}

static struct notifier_block nfqnl_nl_notifier = {
	.notifier_call	= nfqnl_nl_event,
};

static int nfqnl_recv_packet(struct sk_buff *skb, const struct nfnl_info *info,
			     const struct nlattr * const nfqa[])
{
	/* packet messages only travel from the kernel to userspace */
	return -EOPNOTSUPP;
}

static const struct nfnl_callback nfqnl_callbacks[NFQNL_MSG_MAX] = {
	[NFQNL_MSG_PACKET] = {
		.call		= nfqnl_recv_packet,
		.type		= NFNL_CB_RCU,
		.attr_count	= NFQA_MAX,
	},
	[NFQNL_MSG_VERDICT] = {
		.call		= nfqnl_recv_verdict,
		.type		= NFNL_CB_RCU,
		.attr_count	= NFQA_MAX,
		.policy		= nfqnl_verdict_policy,
	},
	[NFQNL_MSG_CONFIG] = {
		.call		= nfqnl_recv_config,
		.type		= NFNL_CB_MUTEX,
		.attr_count	= NFQA_CFG_MAX,
		.policy		= nfqnl_cfg_policy,
	},
	[NFQNL_MSG_VERDICT_BATCH] = {
		.call		= nfqnl_recv_verdict_batch,
		.type		= NFNL_CB_RCU,
		.attr_count	= NFQA_MAX,
		.policy		= nfqnl_batch_policy,
	},
};

static const struct nfnetlink_subsystem nfqnl_subsys = {
	.name		= "nf_queue",
	.subsys_id	= NFNL_SUBSYS_QUEUE,
	.cb_count	= NFQNL_MSG_MAX,
	.cb		= nfqnl_callbacks,
};

static int __net_init nfqnl_net_init(struct net *net)
{
	struct nfqnl_net *q = nfqnl_pernet(net);
	unsigned int i;

	spin_lock_init(&q->lock);
	for (i = 0; i < NFQNL_HASH_SIZE; i++)
		INIT_HLIST_HEAD(&q->table[i]);
	return nfqnl_proc_init(net);
}

static void __net_exit nfqnl_net_exit(struct net *net)
{
	struct nfqnl_net *q = nfqnl_pernet(net);
	struct nfqnl_instance *inst;
	struct hlist_node *tmp;
	unsigned int i;

	nfqnl_proc_exit(net);
	/*
	 * A dying namespace has no sockets, hence no queues left; on module
	 * unload the listeners may still be there: their queues go, the
	 * packets they hold are dropped (after a grace period).
	 */
	spin_lock(&q->lock);
	for (i = 0; i < NFQNL_HASH_SIZE; i++)
		hlist_for_each_entry_safe(inst, tmp, &q->table[i], node)
			__nfqnl_instance_destroy(inst);
	spin_unlock(&q->lock);
}

static struct pernet_operations nfqnl_net_ops = {
	.init	= nfqnl_net_init,
	.exit	= nfqnl_net_exit,
	.id	= &nfqnl_net_id,
	.size	= sizeof(struct nfqnl_net),
};

static int __init nfqnl_init(void)
{
	int err;

	err = register_pernet_subsys(&nfqnl_net_ops);
	if (err < 0) {
		pr_err("cannot register pernet operations: %d\n", err);
		return err;
	}

	err = netlink_register_notifier(&nfqnl_nl_notifier);
	if (err < 0)
		goto err_pernet;

	err = nfnetlink_subsys_register(&nfqnl_subsys);
	if (err < 0) {
		pr_err("cannot register nfnetlink subsystem (is another queue handler loaded?): %d\n",
		       err);
		goto err_notifier;
	}

	err = register_netdevice_notifier(&nfqnl_dev_notifier);
	if (err < 0) {
		pr_err("cannot register netdevice notifier: %d\n", err);
		goto err_subsys;
	}

	nf_register_queue_handler(&nfqnl_handler);
	return 0;

err_subsys:
	nfnetlink_subsys_unregister(&nfqnl_subsys);
err_notifier:
	netlink_unregister_notifier(&nfqnl_nl_notifier);
err_pernet:
	unregister_pernet_subsys(&nfqnl_net_ops);
	return err;
}

static void __exit nfqnl_exit(void)
{
	/*
	 * Unloading while listeners hold packets is allowed. First no new
	 * packets and no more messages: nfnetlink_subsys_unregister() waits
	 * for a grace period, after which no nfqnl_enqueue() nor message
	 * handler runs. Then the pernet exit destroys the remaining queues,
	 * and rcu_barrier() waits until their packets are dropped and the
	 * instances freed. A fail-open rule (symbol_get() in xt_NFQUEUE)
	 * keeps the module loaded.
	 */
	nf_unregister_queue_handler();
	nfnetlink_subsys_unregister(&nfqnl_subsys);
	unregister_netdevice_notifier(&nfqnl_dev_notifier);
	netlink_unregister_notifier(&nfqnl_nl_notifier);
	unregister_pernet_subsys(&nfqnl_net_ops);
	rcu_barrier();
}

module_init(nfqnl_init);
module_exit(nfqnl_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("nfext: netfilter packet queue handler with per-rule fail-open");
MODULE_VERSION("0.1");
MODULE_ALIAS_NFNL_SUBSYS(NFNL_SUBSYS_QUEUE);
