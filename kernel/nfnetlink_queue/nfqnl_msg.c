// SPDX-License-Identifier: GPL-2.0
/*
 * nfext nfnetlink_queue: building the NFQNL_MSG_PACKET message that tells
 * the listener about a queued packet.
 *
 * Attributes, in the order they are written: NFQA_PACKET_HDR, the
 * input/output (and bridge physical) interfaces, NFQA_MARK, NFQA_PRIORITY,
 * NFQA_HWADDR, NFQA_VLAN/NFQA_L2HDR (bridge family), NFQA_TIMESTAMP,
 * NFQA_UID/NFQA_GID, NFQA_SECCTX, NFQA_CT/NFQA_CT_INFO, NFQA_CAP_LEN,
 * NFQA_SKB_INFO and last NFQA_PAYLOAD (zero-copied from the packet).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/netdevice.h>
#include <linux/netfilter_bridge.h>
#include <linux/security.h>
#include <linux/skbuff.h>
#include <net/ip.h>
#include <net/netlink.h>
#include <net/sock.h>
#if IS_ENABLED(CONFIG_NF_CONNTRACK)
#include <net/netfilter/nf_conntrack.h>
#endif

#include "nfqnl.h"

/* NFQA_SKB_INFO: what the listener should know about checksums and GSO */
static u32 nfqnl_skb_info(const struct sk_buff *skb, bool csum_unverified)
{
	u32 info = 0;

	if (skb->ip_summed == CHECKSUM_PARTIAL)
		info |= NFQA_SKB_CSUMNOTREADY;
	else if (csum_unverified)
		info |= NFQA_SKB_CSUM_NOTVERIFIED;
	if (skb_is_gso(skb))
		info |= NFQA_SKB_GSO;
	return info;
}

/* Attribute room for the bridge family's VLAN and link layer header. */
static size_t nfqnl_bridge_size(const struct nf_queue_entry *entry)
{
	const struct sk_buff *skb = entry->skb;
	size_t size = 0;

	if (entry->state.pf != NFPROTO_BRIDGE || !skb_mac_header_was_set(skb))
		return 0;
	if (skb_vlan_tag_present(skb))
		size += nla_total_size(2 * nla_total_size(sizeof(__be16)));
	if (skb->network_header > skb->mac_header)
		size += nla_total_size(skb->network_header - skb->mac_header);
	return size;
}

static int nfqnl_put_bridge(const struct nf_queue_entry *entry,
			    struct sk_buff *msg)
{
	struct sk_buff *skb = entry->skb;
	struct nlattr *vlan;

	if (entry->state.pf != NFPROTO_BRIDGE || !skb_mac_header_was_set(skb))
		return 0;

	if (skb_vlan_tag_present(skb)) {
		vlan = nla_nest_start(msg, NFQA_VLAN);
		if (!vlan ||
		    nla_put_be16(msg, NFQA_VLAN_TCI, htons(skb->vlan_tci)) ||
		    nla_put_be16(msg, NFQA_VLAN_PROTO, skb->vlan_proto))
			return -EMSGSIZE;
		nla_nest_end(msg, vlan);
	}

	if (skb->network_header > skb->mac_header &&
	    nla_put(msg, NFQA_L2HDR, skb->network_header - skb->mac_header,
		    skb_mac_header(skb)))
		return -EMSGSIZE;
	return 0;
}

#if IS_ENABLED(CONFIG_BRIDGE_NETFILTER)
/* The bridge a port belongs to, as @attr. */
static int nfqnl_put_bridge_of(struct sk_buff *msg, int attr,
			       const struct net_device *port)
{
	struct net_device *br;

	if (!netif_is_bridge_port(port))
		return 0;
	br = netdev_master_upper_dev_get_rcu((struct net_device *)port);
	if (br && nla_put_be32(msg, attr, htonl(br->ifindex)))
		return -EMSGSIZE;
	return 0;
}

/*
 * @dev is the device the hook saw. In the bridge family that is the port,
 * and the bridge is the logical device; in the IP families behind
 * br_netfilter it is the bridge, and the port is remembered in the skb.
 */
static __always_inline int nfqnl_put_dev(struct sk_buff *msg,
					 const struct nf_queue_entry *entry,
					 const struct net_device *dev, bool in)
{
	int attr = in ? NFQA_IFINDEX_INDEV : NFQA_IFINDEX_OUTDEV;
	int phys_attr = in ? NFQA_IFINDEX_PHYSINDEV : NFQA_IFINDEX_PHYSOUTDEV;
	int phys;

	if (entry->state.pf == NFPROTO_BRIDGE) {
		if (nla_put_be32(msg, phys_attr, htonl(dev->ifindex)))
			return -EMSGSIZE;
		return nfqnl_put_bridge_of(msg, attr, dev);
	}

	if (nla_put_be32(msg, attr, htonl(dev->ifindex)))
		return -EMSGSIZE;
	phys = in ? nf_bridge_get_physinif(entry->skb) :
		    nf_bridge_get_physoutif(entry->skb);
	if (phys && nla_put_be32(msg, phys_attr, htonl(phys)))
		return -EMSGSIZE;
	return 0;
}
#else
static __always_inline int nfqnl_put_dev(struct sk_buff *msg,
					 const struct nf_queue_entry *entry,
					 const struct net_device *dev, bool in)
{
	return nla_put_be32(msg, in ? NFQA_IFINDEX_INDEV : NFQA_IFINDEX_OUTDEV,
			    htonl(dev->ifindex));
}
#endif

static int nfqnl_put_hwaddr(struct sk_buff *msg, const struct sk_buff *skb)
{
	struct nfqnl_msg_packet_hw hw = {};
	int len;

	if (!skb->dev || !skb_mac_header_was_set(skb) ||
	    !skb_mac_header_len(skb))
		return 0;
	len = dev_parse_header(skb, hw.hw_addr);
	if (len <= 0)
		return 0;
	hw.hw_addrlen = htons(len);
	return nla_put(msg, NFQA_HWADDR, sizeof(hw), &hw);
}

static int nfqnl_put_timestamp(struct sk_buff *msg, ktime_t tstamp)
{
	struct timespec64 ts = ktime_to_timespec64(tstamp);
	struct nfqnl_msg_packet_timestamp val = {
		.sec	= cpu_to_be64(ts.tv_sec),
		.usec	= cpu_to_be64(ts.tv_nsec / NSEC_PER_USEC),
	};

	return nla_put(msg, NFQA_TIMESTAMP, sizeof(val), &val);
}

/* Owner of the socket the packet belongs to (local traffic). */
static int nfqnl_put_uid_gid(struct sk_buff *msg, struct sock *sk)
{
	const struct cred *cred;
	int err = 0;

	if (!sk_fullsock(sk))
		return 0;

	read_lock_bh(&sk->sk_callback_lock);
	if (sk->sk_socket && sk->sk_socket->file) {
		cred = sk->sk_socket->file->f_cred;
		if (nla_put_be32(msg, NFQA_UID,
				 htonl(from_kuid_munged(&init_user_ns,
							cred->fsuid))) ||
		    nla_put_be32(msg, NFQA_GID,
				 htonl(from_kgid_munged(&init_user_ns,
							cred->fsgid))))
			err = -EMSGSIZE;
	}
	read_unlock_bh(&sk->sk_callback_lock);
	return err;
}

static u32 nfqnl_secctx(struct sk_buff *skb, char **ctx)
{
	u32 len = 0;

#if IS_ENABLED(CONFIG_NETWORK_SECMARK)
	if (!skb->sk || !sk_fullsock(skb->sk) || !skb->secmark)
		return 0;
	read_lock_bh(&skb->sk->sk_callback_lock);
	if (security_secid_to_secctx(skb->secmark, ctx, &len))
		len = 0;
	read_unlock_bh(&skb->sk->sk_callback_lock);
#endif
	return len;
}

/* CHECKSUM_PARTIAL packets get their checksum before they leave. */
static int nfqnl_csum_fill(struct sk_buff *skb)
{
	if (skb->protocol == htons(ETH_P_IP) &&
	    (!pskb_network_may_pull(skb, sizeof(struct iphdr)) ||
	     ip_check_csum_start(skb)))
		return -EINVAL;
	if (skb_csum_is_sctp(skb))
		return skb_crc32c_csum_help(skb);
	return skb_checksum_help(skb);
}

/* Fixed-size part of the message: everything but payload, CT, secctx. */
size_t nfqnl_msg_base_size(void)
{
	size_t size = nlmsg_total_size(sizeof(struct nfgenmsg));

	size += nla_total_size(sizeof(struct nfqnl_msg_packet_hdr));
	size += 4 * nla_total_size(sizeof(u32));	/* (phys) in/out */
	size += nla_total_size(sizeof(u32));		/* mark */
	size += nla_total_size(sizeof(u32));		/* priority */
	size += nla_total_size(sizeof(struct nfqnl_msg_packet_hw));
	size += nla_total_size(sizeof(u32));		/* skb info */
	size += nla_total_size(sizeof(u32));		/* cap len */
	size += 2 * nla_total_size(sizeof(u32));	/* uid, gid */
	return size;
}

struct sk_buff *nfqnl_build_packet(struct nfqnl_instance *inst,
				   struct nf_queue_entry *entry,
				   __be32 **id_field)
{
	struct sk_buff *skb = entry->skb, *msg;
	const struct nfnl_ct_hook *ct_hook = NULL;
	u32 flags = READ_ONCE(inst->flags);
	struct nfqnl_msg_packet_hdr *hdr;
	enum ip_conntrack_info ctinfo = 0;
	unsigned int data_len = 0, hlen = 0;
	struct nf_conn *ct = NULL;
	bool csum_unverified;
	char *secctx = NULL;
	u32 secctx_len = 0;
	struct nlmsghdr *nlh;
	struct nlattr *nla;
	ktime_t tstamp;
	size_t size;
	u32 info;

	size = nfqnl_msg_base_size() + nfqnl_bridge_size(entry);

	tstamp = skb_tstamp_cond(skb, false);
	if (tstamp)
		size += nla_total_size(sizeof(struct nfqnl_msg_packet_timestamp));

	/* checksums of received (and locally generated, socketless) packets */
	if (entry->state.hook <= NF_INET_FORWARD ||
	    (entry->state.hook == NF_INET_POST_ROUTING && !skb->sk))
		csum_unverified = !skb_csum_unnecessary(skb);
	else
		csum_unverified = false;

	if (READ_ONCE(inst->copy_mode) == NFQNL_COPY_PACKET) {
		if (!(flags & NFQA_CFG_F_GSO) &&
		    skb->ip_summed == CHECKSUM_PARTIAL && nfqnl_csum_fill(skb))
			return NULL;
		data_len = min_t(unsigned int, READ_ONCE(inst->copy_range),
				 skb->len);
		hlen = min(skb_zerocopy_headlen(skb), data_len);
		size += sizeof(struct nlattr) + hlen;
	}

#if IS_ENABLED(CONFIG_NF_CONNTRACK)
	if (flags & NFQA_CFG_F_CONNTRACK) {
		ct_hook = rcu_dereference(nfnl_ct_hook);
		if (ct_hook) {
			ct = nf_ct_get(skb, &ctinfo);
			if (ct)
				size += ct_hook->build_size(ct);
		}
	}
#endif

	if ((flags & NFQA_CFG_F_SECCTX) && skb->sk) {
		secctx_len = nfqnl_secctx(skb, &secctx);
		if (secctx_len)
			size += nla_total_size(secctx_len);
	}

	msg = alloc_skb(size, GFP_ATOMIC);
	if (!msg)
		goto err_tx;

	nlh = nfnl_msg_put(msg, 0, 0,
			   nfnl_msg_type(NFNL_SUBSYS_QUEUE, NFQNL_MSG_PACKET),
			   0, entry->state.pf, NFNETLINK_V0,
			   htons(inst->queue_num));
	if (!nlh)
		goto err_free;

	nla = __nla_reserve(msg, NFQA_PACKET_HDR, sizeof(*hdr));
	hdr = nla_data(nla);
	hdr->hw_protocol = skb->protocol;
	hdr->hook = entry->state.hook;
	/* the id is given under the queue lock, right before sending */
	*id_field = &hdr->packet_id;

	if (entry->state.in &&
	    nfqnl_put_dev(msg, entry, entry->state.in, true))
		goto err_attr;
	if (entry->state.out &&
	    nfqnl_put_dev(msg, entry, entry->state.out, false))
		goto err_attr;

	if (skb->mark && nla_put_be32(msg, NFQA_MARK, htonl(skb->mark)))
		goto err_attr;
	if (skb->priority &&
	    nla_put_be32(msg, NFQA_PRIORITY, htonl(skb->priority)))
		goto err_attr;

	if (entry->state.in && nfqnl_put_hwaddr(msg, skb))
		goto err_attr;
	if (nfqnl_put_bridge(entry, msg))
		goto err_attr;

	if (tstamp && entry->state.hook <= NF_INET_FORWARD &&
	    nfqnl_put_timestamp(msg, tstamp))
		goto err_attr;

	if ((flags & NFQA_CFG_F_UID_GID) && skb->sk &&
	    nfqnl_put_uid_gid(msg, skb->sk))
		goto err_attr;

	if (secctx_len && nla_put(msg, NFQA_SECCTX, secctx_len, secctx))
		goto err_attr;

	if (ct && ct_hook->build(msg, ct, ctinfo, NFQA_CT, NFQA_CT_INFO) < 0)
		goto err_attr;

	/* the listener sees a truncated packet: tell it the real length */
	if (data_len && skb->len > data_len &&
	    nla_put_be32(msg, NFQA_CAP_LEN, htonl(skb->len)))
		goto err_attr;

	info = nfqnl_skb_info(skb, csum_unverified);
	if (info && nla_put_be32(msg, NFQA_SKB_INFO, htonl(info)))
		goto err_attr;

	if (data_len) {
		if (skb_tailroom(msg) < sizeof(*nla) + hlen)
			goto err_attr;
		nla = skb_put(msg, sizeof(*nla));
		nla->nla_type = NFQA_PAYLOAD;
		nla->nla_len = nla_attr_size(data_len);
		if (skb_zerocopy(msg, skb, data_len, hlen))
			goto err_attr;
	}

	nlh->nlmsg_len = msg->len;
	if (secctx_len)
		security_release_secctx(secctx, secctx_len);
	return msg;

err_attr:
	net_err_ratelimited("nf_queue: cannot build packet message\n");
err_free:
	kfree_skb(msg);
err_tx:
	skb_tx_error(skb);
	if (secctx_len)
		security_release_secctx(secctx, secctx_len);
	return NULL;
}
