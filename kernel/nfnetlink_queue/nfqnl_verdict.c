// SPDX-License-Identifier: GPL-2.0
/*
 * nfext nfnetlink_queue: verdicts from the listener.
 *
 * NFQNL_MSG_VERDICT settles one packet (by id) and may change its mark,
 * priority, payload, conntrack and, for the bridge family, VLAN tag and
 * link layer header; its packet is found in the queue's id table
 * (nfqnl_ids.c), not by mainline's walk of the queue. NFQNL_MSG_VERDICT_BATCH
 * settles every packet up to an id and may set mark and priority: a walk of
 * the settled prefix of the queue's list only, which leaves the list in one
 * cut (mainline unlinks and links each packet).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/if_vlan.h>
#include <linux/skbuff.h>
#include <net/netlink.h>
#if IS_ENABLED(CONFIG_NF_CONNTRACK)
#include <net/netfilter/nf_conntrack.h>
#endif

#include "nfqnl.h"
#include "nfqnl_ids.h"

const struct nla_policy nfqnl_verdict_policy[NFQA_MAX + 1] = {
	[NFQA_VERDICT_HDR]	= { .len = sizeof(struct nfqnl_msg_verdict_hdr) },
	[NFQA_MARK]		= { .type = NLA_U32 },
	[NFQA_PAYLOAD]		= { .type = NLA_UNSPEC },
	[NFQA_CT]		= { .type = NLA_UNSPEC },
	[NFQA_EXP]		= { .type = NLA_UNSPEC },
	[NFQA_VLAN]		= { .type = NLA_NESTED },
	[NFQA_PRIORITY]		= { .type = NLA_U32 },
};

const struct nla_policy nfqnl_batch_policy[NFQA_MAX + 1] = {
	[NFQA_VERDICT_HDR]	= { .len = sizeof(struct nfqnl_msg_verdict_hdr) },
	[NFQA_MARK]		= { .type = NLA_U32 },
	[NFQA_PRIORITY]		= { .type = NLA_U32 },
};

static const struct nla_policy nfqnl_vlan_policy[NFQA_VLAN_MAX + 1] = {
	[NFQA_VLAN_TCI]		= { .type = NLA_U16 },
	[NFQA_VLAN_PROTO]	= { .type = NLA_U16 },
};

/* The queue the sender may give verdicts for. */
static struct nfqnl_instance *nfqnl_verdict_queue(const struct nfnl_info *info,
						  u32 portid)
{
	struct nfqnl_instance *inst;

	inst = nfqnl_find(nfqnl_pernet(info->net), ntohs(info->nfmsg->res_id));
	if (!inst)
		return ERR_PTR(-ENODEV);
	if (inst->peer_portid != portid)
		return ERR_PTR(-EPERM);
	return inst;
}

/* The verdict header, when its verdict is one a listener may give. */
static const struct nfqnl_msg_verdict_hdr *
nfqnl_verdict_hdr(const struct nlattr * const nfqa[])
{
	const struct nfqnl_msg_verdict_hdr *vhdr;
	unsigned int verdict;

	if (!nfqa[NFQA_VERDICT_HDR]) {
		net_info_ratelimited("nf_queue: verdict without NFQA_VERDICT_HDR\n");
		return NULL;
	}
	vhdr = nla_data(nfqa[NFQA_VERDICT_HDR]);
	verdict = ntohl(vhdr->verdict) & NF_VERDICT_MASK;
	if (verdict > NF_MAX_VERDICT || verdict == NF_STOLEN) {
		net_info_ratelimited("nf_queue: invalid verdict %u\n", verdict);
		return NULL;
	}
	return vhdr;
}

/* Is packet id @id later than @last, in the wrapping id sequence? */
static bool nfqnl_id_after(unsigned int id, unsigned int last)
{
	return (int)(id - last) > 0;
}

static void nfqnl_set_meta(struct sk_buff *skb,
			   const struct nlattr * const nfqa[])
{
	if (nfqa[NFQA_MARK])
		skb->mark = ntohl(nla_get_be32(nfqa[NFQA_MARK]));
	if (nfqa[NFQA_PRIORITY])
		skb->priority = ntohl(nla_get_be32(nfqa[NFQA_PRIORITY]));
}

int nfqnl_recv_verdict_batch(struct sk_buff *skb, const struct nfnl_info *info,
			     const struct nlattr * const nfqa[])
{
	const struct nfqnl_msg_verdict_hdr *vhdr;
	struct nf_queue_entry *entry, *tmp;
	struct nfqnl_instance *inst;
	unsigned int verdict, last, n = 0;
	LIST_HEAD(settled);

	inst = nfqnl_verdict_queue(info, NETLINK_CB(skb).portid);
	if (IS_ERR(inst))
		return PTR_ERR(inst);
	vhdr = nfqnl_verdict_hdr(nfqa);
	if (!vhdr)
		return -EINVAL;
	verdict = ntohl(vhdr->verdict);
	last = ntohl(vhdr->id);

	/*
	 * The list is in id order: the settled packets are its prefix, which
	 * moves to @settled in one cut (not unlinked and linked one by one).
	 */
	spin_lock_bh(&inst->lock);
	list_for_each_entry(entry, &inst->entries, list) {
		if (nfqnl_id_after(entry->id, last))
			break;
		nfqnl_ids_forget(inst, entry);
		n++;
	}
	list_cut_before(&settled, &inst->entries, &entry->list);
	inst->total -= n;
	spin_unlock_bh(&inst->lock);

	if (!n)
		return -ENOENT;

	/* the entries leave the list with their reinjection (freed) */
	list_for_each_entry_safe(entry, tmp, &settled, list) {
		nfqnl_set_meta(entry->skb, nfqa);
		nfqnl_reinject(entry, verdict);
	}
	return 0;
}

/* Replace the packet's data by the listener's @len bytes. */
static int nfqnl_mangle(struct nf_queue_entry *entry, const void *data,
			unsigned int len)
{
	struct sk_buff *skb = entry->skb, *nskb;
	int grow = (int)len - (int)skb->len;

	if (grow < 0) {
		/* keep at least the headers up to the transport header */
		if (len < skb_transport_offset(skb))
			return -EINVAL;
		if (pskb_trim(skb, len))
			return -ENOMEM;
	} else if (grow > 0) {
		if (len > 0xffff)
			return -EINVAL;
		if (grow > skb_tailroom(skb)) {
			nskb = skb_copy_expand(skb, skb_headroom(skb), grow,
					       GFP_ATOMIC);
			if (!nskb)
				return -ENOMEM;
			kfree_skb(skb);
			entry->skb = nskb;
			skb = nskb;
		}
		skb_put(skb, grow);
	}
	if (skb_ensure_writable(skb, len))
		return -ENOMEM;
	skb_copy_to_linear_data(skb, data, len);
	skb->ip_summed = CHECKSUM_NONE;
	return 0;
}

static int nfqnl_set_bridge(struct nf_queue_entry *entry,
			    const struct nlattr * const nfqa[])
{
	struct sk_buff *skb = entry->skb;
	struct nlattr *tb[NFQA_VLAN_MAX + 1];
	int mac_len, err;

	if (nfqa[NFQA_VLAN]) {
		err = nla_parse_nested_deprecated(tb, NFQA_VLAN_MAX,
						  nfqa[NFQA_VLAN],
						  nfqnl_vlan_policy, NULL);
		if (err < 0)
			return err;
		if (!tb[NFQA_VLAN_TCI] || !tb[NFQA_VLAN_PROTO])
			return -EINVAL;
		__vlan_hwaccel_put_tag(skb, nla_get_be16(tb[NFQA_VLAN_PROTO]),
				       ntohs(nla_get_be16(tb[NFQA_VLAN_TCI])));
	}

	if (nfqa[NFQA_L2HDR]) {
		mac_len = skb->network_header - skb->mac_header;
		if (mac_len != nla_len(nfqa[NFQA_L2HDR]))
			return -EINVAL;
		if (mac_len > 0)
			memcpy(skb_mac_header(skb), nla_data(nfqa[NFQA_L2HDR]),
			       mac_len);
	}
	return 0;
}

#if IS_ENABLED(CONFIG_NF_CONNTRACK)
/* Apply the listener's NFQA_CT (and NFQA_EXP) to the packet's conntrack. */
static struct nf_conn *nfqnl_set_ct(const struct nfnl_ct_hook *ct_hook,
				    const struct nlmsghdr *nlh,
				    const struct nlattr * const nfqa[],
				    struct nf_queue_entry *entry,
				    enum ip_conntrack_info *ctinfo)
{
	struct nf_conn *ct = nf_ct_get(entry->skb, ctinfo);

	if (!ct || ct_hook->parse(nfqa[NFQA_CT], ct) < 0)
		return NULL;
	if (nfqa[NFQA_EXP])
		ct_hook->attach_expect(nfqa[NFQA_EXP], ct,
				       NETLINK_CB(entry->skb).portid,
				       nlmsg_report(nlh));
	return ct;
}
#endif

int nfqnl_recv_verdict(struct sk_buff *skb, const struct nfnl_info *info,
		       const struct nlattr * const nfqa[])
{
	const struct nfnl_ct_hook *ct_hook = NULL;
	const struct nfqnl_msg_verdict_hdr *vhdr;
	enum ip_conntrack_info ctinfo = 0;
	struct nfqnl_instance *inst;
	struct nf_queue_entry *entry;
	struct nf_conn *ct = NULL;
	unsigned int verdict;
	int err, grow;

	inst = nfqnl_verdict_queue(info, NETLINK_CB(skb).portid);
	if (IS_ERR(inst))
		return PTR_ERR(inst);
	vhdr = nfqnl_verdict_hdr(nfqa);
	if (!vhdr)
		return -EINVAL;
	verdict = ntohl(vhdr->verdict);

	spin_lock_bh(&inst->lock);
	entry = nfqnl_take(inst, ntohl(vhdr->id));
	spin_unlock_bh(&inst->lock);
	if (!entry)
		return -ENOENT;

#if IS_ENABLED(CONFIG_NF_CONNTRACK)
	/* nfnetlink calls NFNL_CB_RCU handlers under rcu_read_lock() */
	if (nfqa[NFQA_CT]) {
		ct_hook = rcu_dereference(nfnl_ct_hook);
		if (ct_hook)
			ct = nfqnl_set_ct(ct_hook, info->nlh, nfqa, entry,
					  &ctinfo);
	}
#endif

	if (entry->state.pf == NFPROTO_BRIDGE) {
		err = nfqnl_set_bridge(entry, nfqa);
		if (err < 0) {
			nfqnl_reinject(entry, NF_DROP);
			return err;
		}
	}

	if (nfqa[NFQA_PAYLOAD]) {
		grow = (int)nla_len(nfqa[NFQA_PAYLOAD]) - (int)entry->skb->len;
		if (nfqnl_mangle(entry, nla_data(nfqa[NFQA_PAYLOAD]),
				 nla_len(nfqa[NFQA_PAYLOAD])) < 0)
			verdict = NF_DROP;
		else if (ct && grow)
			ct_hook->seq_adjust(entry->skb, ct, ctinfo, grow);
	}

	nfqnl_set_meta(entry->skb, nfqa);
	nfqnl_reinject(entry, verdict);
	return 0;
}
