/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nf_queue_nf_hook_drop() is exported by the netfilter core but declared in
 * net/netfilter/nf_internals.h, which out-of-tree modules do not have.
 */
#ifndef _NFEXT_XT_CT_NFQ_H
#define _NFEXT_XT_CT_NFQ_H

struct net;

void nf_queue_nf_hook_drop(struct net *net);

#endif
