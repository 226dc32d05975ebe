// SPDX-License-Identifier: GPL-2.0
/*
 * nfext nfnetlink_queue: /proc/net/netfilter/nfnetlink_queue.
 *
 * One line per queue of the reader's namespace: queue number, listener
 * portid, packets held, copy mode, copy range, packets dropped because the
 * queue was full, packets dropped because the listener's socket was full,
 * last packet id, the constant 1 (mainline's nine fields), then nfext's
 * tenth: packets accepted by fail-open (queue flag or rule flag).
 */
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <net/net_namespace.h>

#include "nfqnl.h"

#ifdef CONFIG_PROC_FS
struct nfqnl_iter {
	struct seq_net_private	p;
	unsigned int		bucket;
};

static struct hlist_node *nfqnl_bucket_first(struct seq_file *s)
{
	struct nfqnl_net *q = nfqnl_pernet(seq_file_net(s));
	struct nfqnl_iter *it = s->private;

	for (; it->bucket < NFQNL_HASH_SIZE; it->bucket++)
		if (!hlist_empty(&q->table[it->bucket]))
			return q->table[it->bucket].first;
	return NULL;
}

static struct hlist_node *nfqnl_next_node(struct seq_file *s,
					  struct hlist_node *node)
{
	struct nfqnl_iter *it = s->private;

	if (node->next)
		return node->next;
	it->bucket++;
	return nfqnl_bucket_first(s);
}

static void *nfqnl_seq_start(struct seq_file *s, loff_t *pos)
	__acquires(nfqnl_pernet(seq_file_net(s))->lock)
{
	struct nfqnl_iter *it = s->private;
	struct hlist_node *node;
	loff_t n = *pos;

	spin_lock(&nfqnl_pernet(seq_file_net(s))->lock);
	it->bucket = 0;
	node = nfqnl_bucket_first(s);
	while (node && n--)
		node = nfqnl_next_node(s, node);
	return node;
}

static void *nfqnl_seq_next(struct seq_file *s, void *v, loff_t *pos)
{
	(*pos)++;
	return nfqnl_next_node(s, v);
}

static void nfqnl_seq_stop(struct seq_file *s, void *v)
	__releases(nfqnl_pernet(seq_file_net(s))->lock)
{
	spin_unlock(&nfqnl_pernet(seq_file_net(s))->lock);
}

static int nfqnl_seq_show(struct seq_file *s, void *v)
{
	const struct nfqnl_instance *inst;

	inst = hlist_entry(v, struct nfqnl_instance, node);
	seq_printf(s, "%5u %6u %5u %1u %5u %5u %5u %8u %2d %u\n",
		   inst->queue_num, inst->peer_portid, inst->total,
		   inst->copy_mode, inst->copy_range, inst->dropped,
		   inst->user_dropped, inst->id_seq, 1,
		   atomic_read(&inst->failopen_accepted));
	return 0;
}

static const struct seq_operations nfqnl_seq_ops = {
	.start	= nfqnl_seq_start,
	.next	= nfqnl_seq_next,
	.stop	= nfqnl_seq_stop,
	.show	= nfqnl_seq_show,
};

int nfqnl_proc_init(struct net *net)
{
	if (!proc_create_net("nfnetlink_queue", 0440, net->nf.proc_netfilter,
			     &nfqnl_seq_ops, sizeof(struct nfqnl_iter)))
		return -ENOMEM;
	return 0;
}

void nfqnl_proc_exit(struct net *net)
{
	remove_proc_entry("nfnetlink_queue", net->nf.proc_netfilter);
}
#else
int nfqnl_proc_init(struct net *net)
{
	return 0;
}

void nfqnl_proc_exit(struct net *net)
{
}
#endif
