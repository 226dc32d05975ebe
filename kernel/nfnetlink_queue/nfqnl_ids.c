// SPDX-License-Identifier: GPL-2.0
/*
 * nfext nfnetlink_queue: the packets a queue holds, by packet id.
 *
 * Mainline (6.1) finds the packet of a verdict by walking the queue's list
 * from its oldest packet, so one verdict costs as much as the queue is
 * deep. Here every queue also has a table from packet id to held packet,
 * direct-mapped: packet id N is in slot N modulo the table size, a power of
 * two at least twice the queue's maxlen (16 at least). Ids are given one
 * after the other under the queue's lock, so the packets a queue holds have
 * different slots as long as none of them stays while a table's worth of
 * later ids is given out. One that does (a straggler) is pushed out of its
 * slot by the packet that gets it next: it stays in the list only
 * ("unhashed") and its verdict is found by mainline's walk. The packets in
 * the list before a straggler are older still, stragglers too unless the
 * packet given their slot's next id was never held (its message refused),
 * so that walk passes few others. A slot keeps the packet's id beside the
 * pointer: a lookup reads no held packet (each would be a cache miss).
 *
 * A packet is thus held, found and let go with one slot each, no probing
 * and no hashing. The slots are allocated when the queue is bound and
 * whenever its maxlen changes (never on the packet path); packets held at a
 * change move to the new table, the newer one keeping a shared slot. The
 * table has at most NFQNL_IDS_MAX_SLOTS slots: beyond that many packets in
 * flight, the oldest are stragglers.
 *
 * The list stays, in id order: batch verdicts settle its prefix, and the
 * flushes (device down, listener gone) walk it.
 *
 * Every function here runs under the instance's lock, except the
 * allocation and the freeing of a table. What every packet meets (a slot
 * taken when it is queued, given back at its verdict) is inline, in
 * nfqnl_ids.h.
 */
#include <linux/log2.h>
#include <linux/overflow.h>
#include <linux/slab.h>

#include "nfqnl.h"
#include "nfqnl_ids.h"

/* 2^20 slots (16 MiB) */
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

/* The held packet with id @id, taken out of @inst; NULL when none. */
struct nf_queue_entry *nfqnl_take(struct nfqnl_instance *inst, u32 id)
{
	struct nfqnl_ids_slot *s = nfqnl_ids_slot(inst->ids, id);
	struct nf_queue_entry *entry = s->entry;

	if (entry && s->id == id) {
		s->entry = NULL;
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
	inst->ids = ids;
	list_for_each_entry(entry, &inst->entries, list)
		nfqnl_ids_add(inst, entry);
	return old;
}
