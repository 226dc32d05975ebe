/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nfext nfnetlink_queue: the packet id table's part that every packet meets,
 * inline (a slot taken when the packet is queued, given back at a batch
 * verdict or a flush). The table itself is explained in nfqnl_ids.c.
 * Callers hold the instance's lock.
 */
#ifndef _NFQNL_IDS_H
#define _NFQNL_IDS_H

#include <linux/hash.h>
#include <linux/log2.h>

#include "nfqnl.h"

static inline u32 nfqnl_ids_home(const struct nfqnl_ids *ids, u32 id)
{
	/* scatter the consecutive ids: no long runs of used slots */
	return hash_32(id, ilog2(ids->mask + 1));
}

/* Does @entry get a slot? No when the table is half full. */
static inline bool nfqnl_ids_add(struct nfqnl_ids *ids,
				 struct nf_queue_entry *entry)
{
	u32 i;

	if (ids->used >= (ids->mask + 1) / 2)
		return false;
	i = nfqnl_ids_home(ids, entry->id);
	while (ids->slot[i].entry)
		i = (i + 1) & ids->mask;
	ids->slot[i].entry = entry;
	ids->slot[i].id = entry->id;
	ids->used++;
	return true;
}

/*
 * Empty slot @i. The entries after it in the same run move back into the
 * hole when that keeps them reachable from their home slot, so that a
 * lookup can stop at the first empty slot (no tombstones).
 */
static inline void nfqnl_ids_clear(struct nfqnl_ids *ids, u32 i)
{
	u32 j = i;

	for (;;) {
		j = (j + 1) & ids->mask;
		if (!ids->slot[j].entry)
			break;
		/* the hole lies between j's home and j: j's entry may fill it */
		if (((j - i) & ids->mask) <=
		    ((j - nfqnl_ids_home(ids, ids->slot[j].id)) & ids->mask)) {
			ids->slot[i] = ids->slot[j];
			i = j;
		}
	}
	ids->slot[i].entry = NULL;
	ids->used--;
}

/* @entry, given its id, is now held by @inst. */
static inline void nfqnl_hold(struct nfqnl_instance *inst,
			      struct nf_queue_entry *entry)
{
	list_add_tail(&entry->list, &inst->entries);
	inst->total++;
	if (!nfqnl_ids_add(inst->ids, entry))
		inst->unhashed++;
}

/* @entry, held by @inst, leaves it (a batch verdict, a flush). */
static inline void nfqnl_unhold(struct nfqnl_instance *inst,
				struct nf_queue_entry *entry)
{
	struct nfqnl_ids *ids = inst->ids;
	u32 i = nfqnl_ids_home(ids, entry->id);

	list_del(&entry->list);
	inst->total--;
	while (ids->slot[i].entry) {
		if (ids->slot[i].entry == entry) {
			nfqnl_ids_clear(ids, i);
			return;
		}
		i = (i + 1) & ids->mask;
	}
	inst->unhashed--;
}

#endif /* _NFQNL_IDS_H */
