// SPDX-License-Identifier: GPL-2.0
/*
 * IPVS and nf_conntrack: what happens to the conntrack entry of a packet
 * that IPVS has taken over.
 *
 * conntrack = 0 (default): the packet is detached (untracked) once IPVS
 * owns it, so conntrack and NAT rules never see IPVS flows.
 *
 * conntrack = 1 (what kube-proxy sets): connections created while it is on
 * carry IP_VS_CONN_F_NFCT and their packets keep their conntrack entry.
 * The entry of a new NAT flow is still unconfirmed when IPVS rewrites its
 * first packet, so its reply tuple is changed to what the real server will
 * send back (real server -> client); conntrack then files the replies
 * under the same entry, and iptables/nftables rules (MASQUERADE of VIP
 * traffic, ctstate matches) work on IPVS flows. When the IPVS connection
 * goes away its conntrack entry is deleted too, so a new flow reusing the
 * client's ports is not matched against a stale reply tuple.
 *
 * Everything here runs in the packet path or in the connection collector,
 * under RCU; the conntrack entry's own lock serialises the tuple change.
 */
#include <linux/netfilter.h>
#include <net/netfilter/nf_conntrack.h>
#include <net/netfilter/nf_conntrack_core.h>
#include <net/netfilter/nf_conntrack_zones.h>
#include <ipvs/conn.h>
#include <ipvs/proto.h>

static bool ipvs_nfct_has_ports(u8 proto)
{
	return proto == IPPROTO_TCP || proto == IPPROTO_UDP || proto == IPPROTO_SCTP;
}

void ipvs_notrack(struct sk_buff *skb)
{
	enum ip_conntrack_info ctinfo;
	struct nf_conn *ct = nf_ct_get(skb, &ctinfo);

	if (ct) {
		nf_conntrack_put(&ct->ct_general);
		nf_ct_set(skb, NULL, IP_CT_UNTRACKED);
	}
}

/*
 * @outin: the packet went client -> real server (true) or real server ->
 * client (false). Only an unconfirmed entry seen in its original direction
 * may have its reply tuple changed: a confirmed one is hashed already.
 */
static void ipvs_nfct_update(struct sk_buff *skb, const struct ipvs_conn *cp, bool outin)
{
	enum ip_conntrack_info ctinfo;
	struct nf_conn *ct = nf_ct_get(skb, &ctinfo);
	struct nf_conntrack_tuple t;

	if (!ct || nf_ct_is_confirmed(ct) || ipvs_conn_fwd(cp) != IP_VS_CONN_F_MASQ ||
	    (cp->flags & IP_VS_CONN_F_ONE_PACKET) || CTINFO2DIR(ctinfo) != IP_CT_DIR_ORIGINAL)
		return;

	spin_lock_bh(&ct->lock);
	t = ct->tuplehash[IP_CT_DIR_REPLY].tuple;
	if (outin) {
		t.src.u3 = cp->daddr;
		if (ipvs_nfct_has_ports(cp->protocol))
			t.src.u.all = cp->dport;
	} else {
		t.dst.u3 = cp->vaddr;
		if (ipvs_nfct_has_ports(cp->protocol))
			t.dst.u.all = cp->vport;
	}
	nf_conntrack_alter_reply(ct, &t);
	spin_unlock_bh(&ct->lock);
}

/* ipvs_nfct_after_xmit() (proto.h) for a packet with a conntrack entry. */
void ipvs_nfct_after_xmit_ct(struct sk_buff *skb, const struct ipvs_conn *cp, bool outin)
{
	if (cp->flags & IP_VS_CONN_F_NFCT)
		ipvs_nfct_update(skb, cp, outin);
	else
		ipvs_notrack(skb);
}

/*
 * A new IPVS connection whose packet already belongs to a confirmed
 * conntrack entry: the entry outlived an earlier IPVS connection of the
 * same client ports. If its replies are expected from another real server,
 * delete it and drop the packet; the client's retransmission then starts
 * a clean entry. Returns true when the packet must be dropped.
 */
bool ipvs_nfct_stale(struct sk_buff *skb, const struct ipvs_conn *cp)
{
	enum ip_conntrack_info ctinfo;
	struct nf_conn *ct = nf_ct_get(skb, &ctinfo);
	const struct nf_conntrack_tuple *r;

	/* One-packet connections leave the entry alone (ipvs_nfct_update). */
	if (!(cp->flags & IP_VS_CONN_F_NFCT) || ipvs_conn_fwd(cp) != IP_VS_CONN_F_MASQ ||
	    (cp->flags & IP_VS_CONN_F_ONE_PACKET) || !ct || !nf_ct_is_confirmed(ct))
		return false;
	r = &ct->tuplehash[IP_CT_DIR_REPLY].tuple;
	if (nf_inet_addr_cmp(&r->src.u3, &cp->daddr) &&
	    (!ipvs_nfct_has_ports(cp->protocol) || r->src.u.all == cp->dport))
		return false;
	nf_ct_kill(ct);
	return true;
}

/*
 * A new flow reuses the ports of @cp, which is being expired. If the
 * packet's conntrack entry is the old, confirmed one, true: the caller
 * drops the packet (the entry goes with @cp, the client's retransmission
 * starts a clean one). Otherwise conntrack has already started a fresh
 * entry for the new flow, which @cp's expiry must leave alone.
 */
bool ipvs_nfct_reuse(struct sk_buff *skb, struct ipvs_conn *cp)
{
	enum ip_conntrack_info ctinfo;
	struct nf_conn *ct;

	if (!(cp->flags & IP_VS_CONN_F_NFCT))
		return false;
	ct = nf_ct_get(skb, &ctinfo);
	if (ct && nf_ct_is_confirmed(ct))
		return true;
	spin_lock_bh(&cp->lock);
	cp->flags &= ~IP_VS_CONN_F_NFCT;
	spin_unlock_bh(&cp->lock);
	return false;
}

/* Delete the conntrack entry of a connection leaving the table. */
void ipvs_nfct_drop(struct ipvs_dp_net *dp, const struct ipvs_conn *cp)
{
	struct nf_conntrack_tuple_hash *h;
	struct nf_conntrack_tuple t;
	struct nf_conn *ct;

	if (!(cp->flags & IP_VS_CONN_F_NFCT) || READ_ONCE(dp->dying))
		return;

	memset(&t, 0, sizeof(t));
	t.src.l3num = cp->af;
	t.dst.protonum = cp->protocol;
	t.dst.dir = IP_CT_DIR_ORIGINAL;
	t.src.u3 = cp->caddr;
	t.dst.u3 = cp->vaddr;
	if (ipvs_nfct_has_ports(cp->protocol)) {
		t.src.u.all = cp->cport;
		t.dst.u.all = cp->vport;
	}

	h = nf_conntrack_find_get(dp->net, &nf_ct_zone_dflt, &t);
	if (!h)
		return;
	ct = nf_ct_tuplehash_to_ctrack(h);
	/* Only the entry whose replies come from this connection's server. */
	if (NF_CT_DIRECTION(h) == IP_CT_DIR_ORIGINAL &&
	    nf_inet_addr_cmp(&ct->tuplehash[IP_CT_DIR_REPLY].tuple.src.u3, &cp->daddr))
		nf_ct_kill(ct);
	nf_ct_put(ct);
}
