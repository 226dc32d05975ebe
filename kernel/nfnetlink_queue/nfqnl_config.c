// SPDX-License-Identifier: GPL-2.0
/*
 * nfext nfnetlink_queue: NFQNL_MSG_CONFIG.
 *
 * One message may carry a command (bind or unbind a queue; the old
 * per-family commands are accepted and do nothing), copy parameters, the
 * queue length and a flags/mask pair. Everything is checked before
 * anything changes, so a refused message leaves the queue as it was.
 * Runs under the nfnetlink mutex of NFNL_SUBSYS_QUEUE.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kmod.h>
#include <net/netlink.h>

#include "nfqnl.h"

const struct nla_policy nfqnl_cfg_policy[NFQA_CFG_MAX + 1] = {
	[NFQA_CFG_CMD]		= { .len = sizeof(struct nfqnl_msg_config_cmd) },
	[NFQA_CFG_PARAMS]	= { .len = sizeof(struct nfqnl_msg_config_params) },
	[NFQA_CFG_QUEUE_MAXLEN]	= { .type = NLA_U32 },
	[NFQA_CFG_MASK]		= { .type = NLA_U32 },
	[NFQA_CFG_FLAGS]	= { .type = NLA_U32 },
};

/*
 * Can the flags be set? Conntrack attributes need ctnetlink's glue, which
 * is loaded on demand: -EAGAIN makes nfnetlink replay the message.
 */
static int nfqnl_check_flags(u32 flags, u32 mask)
{
	if (flags >= NFQA_CFG_F_MAX) {
		net_info_ratelimited("nf_queue: unknown queue flags 0x%x\n",
				     flags & ~(NFQA_CFG_F_MAX - 1));
		return -EOPNOTSUPP;
	}
	if (!IS_ENABLED(CONFIG_NETWORK_SECMARK) &&
	    (flags & mask & NFQA_CFG_F_SECCTX)) {
		net_info_ratelimited("nf_queue: security context flag needs CONFIG_NETWORK_SECMARK\n");
		return -EOPNOTSUPP;
	}
	if ((flags & mask & NFQA_CFG_F_CONNTRACK) &&
	    !rcu_access_pointer(nfnl_ct_hook)) {
#ifdef CONFIG_MODULES
		nfnl_unlock(NFNL_SUBSYS_QUEUE);
		request_module("ip_conntrack_netlink");
		nfnl_lock(NFNL_SUBSYS_QUEUE);
		if (rcu_access_pointer(nfnl_ct_hook))
			return -EAGAIN;
#endif
		net_info_ratelimited("nf_queue: conntrack flag needs nf_conntrack_netlink\n");
		return -EOPNOTSUPP;
	}
	return 0;
}

static int nfqnl_check_params(const struct nfqnl_msg_config_params *params)
{
	switch (params->copy_mode) {
	case NFQNL_COPY_NONE:
	case NFQNL_COPY_META:
	case NFQNL_COPY_PACKET:
		return 0;
	}
	net_info_ratelimited("nf_queue: unknown copy mode %u\n",
			     params->copy_mode);
	return -EINVAL;
}

static void nfqnl_set_params(struct nfqnl_instance *inst,
			     const struct nfqnl_msg_config_params *params)
{
	u32 range = ntohl(params->copy_range);

	spin_lock_bh(&inst->lock);
	WRITE_ONCE(inst->copy_mode, params->copy_mode);
	if (params->copy_mode != NFQNL_COPY_PACKET)
		range = 0;
	else if (!range || range > NFQNL_COPY_RANGE_MAX)
		range = NFQNL_COPY_RANGE_MAX;
	WRITE_ONCE(inst->copy_range, range);
	spin_unlock_bh(&inst->lock);
}

int nfqnl_recv_config(struct sk_buff *skb, const struct nfnl_info *info,
		      const struct nlattr * const nfqa[])
{
	struct nfqnl_net *q = nfqnl_pernet(info->net);
	const struct nfqnl_msg_config_params *params = NULL;
	const struct nfqnl_msg_config_cmd *cmd = NULL;
	u16 queue_num = ntohs(info->nfmsg->res_id);
	u32 portid = NETLINK_CB(skb).portid;
	struct nfqnl_instance *inst;
	struct nfqnl_ids *ids = NULL;
	u32 flags = 0, mask = 0;
	int err;

	if (nfqa[NFQA_CFG_CMD]) {
		cmd = nla_data(nfqa[NFQA_CFG_CMD]);
		switch (cmd->command) {
		case NFQNL_CFG_CMD_PF_BIND:
		case NFQNL_CFG_CMD_PF_UNBIND:
			/* queue handlers are no longer per family */
			return 0;
		case NFQNL_CFG_CMD_BIND:
		case NFQNL_CFG_CMD_UNBIND:
			break;
		default:
			net_info_ratelimited("nf_queue: unknown config command %u\n",
					     cmd->command);
			return -EOPNOTSUPP;
		}
	}

	if (nfqa[NFQA_CFG_FLAGS]) {
		if (!nfqa[NFQA_CFG_MASK]) {
			net_info_ratelimited("nf_queue: queue flags without a mask\n");
			return -EINVAL;
		}
		flags = ntohl(nla_get_be32(nfqa[NFQA_CFG_FLAGS]));
		mask = ntohl(nla_get_be32(nfqa[NFQA_CFG_MASK]));
		err = nfqnl_check_flags(flags, mask);
		if (err)
			return err;
	}

	if (nfqa[NFQA_CFG_PARAMS]) {
		params = nla_data(nfqa[NFQA_CFG_PARAMS]);
		err = nfqnl_check_params(params);
		if (err)
			return err;
	}

	/*
	 * The nfnetlink mutex we hold keeps the URELEASE notifier away, so
	 * an instance found here stays until we return.
	 */
	rcu_read_lock();
	inst = nfqnl_find(q, queue_num);
	rcu_read_unlock();
	if (inst && inst->peer_portid != portid)
		return -EPERM;

	if (cmd && cmd->command == NFQNL_CFG_CMD_BIND) {
		if (inst)
			return -EBUSY;
		inst = nfqnl_instance_create(q, queue_num, portid,
					     NETLINK_CB(skb).sk);
		if (IS_ERR(inst))
			return PTR_ERR(inst);
	} else if (cmd && cmd->command == NFQNL_CFG_CMD_UNBIND) {
		if (!inst)
			return -ENODEV;
		nfqnl_instance_destroy(q, inst);
		return 0;
	}

	if (!inst)
		return -ENODEV;

	/* the new length's id table first: nothing changes if there is none */
	if (nfqa[NFQA_CFG_QUEUE_MAXLEN]) {
		ids = nfqnl_ids_alloc(ntohl(nla_get_be32(nfqa[NFQA_CFG_QUEUE_MAXLEN])));
		if (!ids) {
			if (cmd && cmd->command == NFQNL_CFG_CMD_BIND)
				nfqnl_instance_destroy(q, inst);
			return -ENOMEM;
		}
	}

	if (params)
		nfqnl_set_params(inst, params);

	if (ids) {
		spin_lock_bh(&inst->lock);
		WRITE_ONCE(inst->maxlen,
			   ntohl(nla_get_be32(nfqa[NFQA_CFG_QUEUE_MAXLEN])));
		ids = nfqnl_ids_replace(inst, ids);
		spin_unlock_bh(&inst->lock);
		nfqnl_ids_free(ids);
	}

	if (nfqa[NFQA_CFG_FLAGS]) {
		spin_lock_bh(&inst->lock);
		WRITE_ONCE(inst->flags, (inst->flags & ~mask) | (flags & mask));
		spin_unlock_bh(&inst->lock);
	}
	return 0;
}
