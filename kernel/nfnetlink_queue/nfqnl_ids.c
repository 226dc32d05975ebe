// SPDX-License-Identifier: GPL-2.0
/*
 * nfext nfnetlink_queue: the packets a queue holds, by packet id.
 *
 * Mainline (6.1) finds the packet of a verdict by walking the queue's list
 * from its oldest packet, so one verdict costs as much as the queue is
 * deep. Here every queue also has a table from packet id to held packet:
 * open addressing with linear probing, at least twice as many slots as the
 * queue's maxlen (a power of two, 16 at least), so the table is at most
 * half full and a lookup probes a slot or two. A slot keeps the packet's id
 * beside the pointer: probing and moving entries never reads a held packet
 * (each would be a cache miss of its own). The slots are allocated when
 * the queue is bound and whenever its maxlen changes (never on the packet
 * path); packets held at a change move to the new table. The table keeps
 * at most NFQNL_IDS_MAX_SLOTS / 2 packets: a queue whose maxlen is larger
 * than that holds the packets beyond it in its list only ("unhashed") and
 * finds their verdicts with mainline's walk.
 *
 * The list stays, in id order: batch verdicts settle its prefix, and the
 * flushes (device down, listener gone) walk it.
 *
 * Every function here runs under the instance's lock, except the
 * allocation and the freeing of a table. What every packet meets (a slot
 * taken when it is queued, given back at its verdict) is inline, in
 * nfqnl_ids.h, with the removal of an entry (no tombstones, see there).
 */
#include <linux/hash.h>
#include <linux/log2.h>
#include <linux/overflow.h>
#include <linux/slab.h>

#include "nfqnl.h"
#include "nfqnl_ids.h"

/* 2^20 slots (16 MiB): packet ids of up to 2^19 held packets */
#define NFQNL_IDS_MAX_SLOTS	(1U << 20)
#define NFQNL_IDS_MIN_SLOTS	16U

struct nfqnl_ids *nfqnl_ids_alloc(u32 maxlen)
{
	struct nfqnl_ids *ids;
	u32 slots;

	/* maxlen 0 is valid (every packet finds the queue full) */
	if (maxlen >= NFQNL_IDS_MAX_SLOTS / 2)
		slots = NFQNL_IDS_MAX_SLOTS;
	else
		slots = roundup_pow_of_two(max(2 * maxlen, NFQNL_IDS_MIN_SLOTS));

	ids = kvzalloc(struct_size(ids, slot, slots), GFP_KERNEL_ACCOUNT);
	if (ids)
		ids->mask = slots - 1;
	return ids;
}

void nfqnl_ids_free(struct nfqnl_ids *ids)
{
	kvfree(ids);
}

/* Slot of @id, or -1. */
static int nfqnl_ids_find(const struct nfqnl_ids *ids, u32 id)
{
	u32 i = nfqnl_ids_home(ids, id);

	while (ids->slot[i].entry) {
		if (ids->slot[i].id == id)
			return i;
		i = (i + 1) & ids->mask;
	}
	return -1;
}

/* The held packet with id @id, taken out of @inst; NULL when none. */
struct nf_queue_entry *nfqnl_take(struct nfqnl_instance *inst, u32 id)
{
	struct nf_queue_entry *entry;
	int i = nfqnl_ids_find(inst->ids, id);

	if (i >= 0) {
		entry = inst->ids->slot[i].entry;
		nfqnl_ids_clear(inst->ids, i);
		list_del(&entry->list);
		inst->total--;
		return entry;
	}
	if (!inst->unhashed)
		return NULL;
	list_for_each_entry(entry, &inst->entries, list) {
		if (entry->id == id) {
			nfqnl_unhold(inst, entry);
			return entry;
		}
	}
	return NULL;
}

/*
 * Move the held packets to the empty table @ids and return the old table,
 * which the caller frees once it released the lock.
 */
struct nfqnl_ids *nfqnl_ids_replace(struct nfqnl_instance *inst,
				    struct nfqnl_ids *ids)
{
	struct nfqnl_ids *old = inst->ids;
	struct nf_queue_entry *entry;

	inst->unhashed = 0;
	list_for_each_entry(entry, &inst->entries, list)
		if (!nfqnl_ids_add(ids, entry))
			inst->unhashed++;
	inst->ids = ids;
	return old;
}
