/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nfext nfnetlink_queue: the packet id table's part that every packet meets,
 * inline (a slot taken when the packet is queued, given back at its
 * verdict or a flush). The table itself is explained in nfqnl_ids.c.
 * Callers hold the instance's lock.
 */
#ifndef _NFQNL_IDS_H
#define _NFQNL_IDS_H

#include "nfqnl.h"

/* The one slot packet id @id can be in. */
static inline struct nfqnl_ids_slot *nfqnl_ids_slot(struct nfqnl_ids *ids,
						    u32 id)
{
	return &ids->slot[id & ids->mask];
}

/*
 * @entry takes its id's slot. A packet still in that slot is at least as
 * many ids older as the table has slots: it leaves the table ("unhashed")
 * and its verdict will be found by the walk of the list, near its head.
 */
static inline void nfqnl_ids_add(struct nfqnl_instance *inst,
				 struct nf_queue_entry *entry)
{
	struct nfqnl_ids_slot *s = nfqnl_ids_slot(inst->ids, entry->id);

	if (s->entry)
		inst->unhashed++;
	s->entry = entry;
	s->id = entry->id;
}

/* @entry, given its id, is now held by @inst. */
static inline void nfqnl_hold(struct nfqnl_instance *inst,
			      struct nf_queue_entry *entry)
{
	list_add_tail(&entry->list, &inst->entries);
	inst->total++;
	nfqnl_ids_add(inst, entry);
}

/* @entry, held by @inst, leaves the id table (its list is the caller's). */
static inline void nfqnl_ids_forget(struct nfqnl_instance *inst,
				    struct nf_queue_entry *entry)
{
	struct nfqnl_ids_slot *s = nfqnl_ids_slot(inst->ids, entry->id);

	if (s->entry == entry)
		s->entry = NULL;
	else
		inst->unhashed--;
}

/* @entry, held by @inst, leaves it (a verdict, a flush). */
static inline void nfqnl_unhold(struct nfqnl_instance *inst,
				struct nf_queue_entry *entry)
{
	list_del(&entry->list);
	inst->total--;
	nfqnl_ids_forget(inst, entry);
}

#endif /* _NFQNL_IDS_H */
