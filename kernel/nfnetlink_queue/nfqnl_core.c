// SPDX-License-Identifier: GPL-2.0
/*
 * nfext nfnetlink_queue: queue instances, reinjection, notifiers and the
 * module entry points.
 *
 * Replaces mainline's net/netfilter/nfnetlink_queue.c (6.1) under the same
 * module name; the way in is nfqnl_enqueue.c, verdicts are nfqnl_verdict.c.
 *
 * A queue instance belongs to the netlink socket that bound it (its portid)
 * in one network namespace. It holds the packets sent to that socket until
 * a verdict arrives, the socket goes away, a device they use goes down, or
 * netfilter hooks are unregistered: in a list in id order and in a table by
 * id (nfqnl_ids.c).
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
#include "nfqnl_ids.h"
#include "nfqnl_failopen.h"

unsigned int nfqnl_net_id __read_mostly;

/*
 * Where the packet ids of a queue start: its first packet gets id_base + 1.
 * Ids are opaque to listeners and wrap after 2^32 packets anyway; starting
 * close to the wrap lets one see (and test) a queue crossing it without
 * sending four billion packets first. Queues bound later use a new value.
 */
static unsigned int id_base;
module_param(id_base, uint, 0644);
MODULE_PARM_DESC(id_base, "packet ids of newly bound queues start after this value (default 0)");

struct nfqnl_instance *nfqnl_instance_create(struct nfqnl_net *q,
					     u16 queue_num, u32 portid,
					     struct sock *sk)
{
	struct nfqnl_instance *inst;
	int err = 0;

	inst = kzalloc(sizeof(*inst), GFP_KERNEL_ACCOUNT);
	if (!inst)
		return ERR_PTR(-ENOMEM);
	inst->ids = nfqnl_ids_alloc(NFQNL_DEFAULT_MAXLEN);
	if (!inst->ids) {
		kfree(inst);
		return ERR_PTR(-ENOMEM);
	}

	inst->queue_num = queue_num;
	inst->peer_portid = portid;
	inst->peer_sk = sk;
	inst->maxlen = NFQNL_DEFAULT_MAXLEN;
	inst->copy_mode = NFQNL_COPY_NONE;
	inst->copy_range = NFQNL_COPY_RANGE_MAX;
	inst->id_seq = READ_ONCE(id_base);
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
		nfqnl_ids_free(inst->ids);
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
		nfqnl_unhold(inst, entry);
		list_add_tail(&entry->list, &doomed);
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
	nfqnl_ids_free(inst->ids);
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
