// SPDX-License-Identifier: GPL-2.0
/*
 * SCTP: scheduling rule, association state machine and NAT rewrite.
 *
 * States, their names, timeouts and transitions are upstream's, so
 * /proc/net/ip_vs_conn and the active/inactive counters read the same.
 * The event of a packet is its first chunk (a COOKIE ECHO or COOKIE ACK
 * bundled with a following ABORT counts as the ABORT); ESTABLISHED counts
 * as an active connection, every other state as inactive.
 *
 * NAT: SCTP's CRC32c covers no pseudo-header, so an address rewrite needs
 * no checksum work; a port rewrite recomputes the whole CRC32c (it cannot
 * be updated incrementally), except for GSO packets whose checksum the
 * segmentation computes. A packet whose CRC was left to the device
 * (CHECKSUM_PARTIAL, local senders) gets it computed here as well.
 */
#include <linux/sctp.h>
#include <net/sctp/checksum.h>
#include <ipvs/conn.h>
#include <ipvs/proto.h>

enum {
	SCTP_S_NONE = 0,
	SCTP_S_INIT1,
	SCTP_S_INIT,
	SCTP_S_COOKIE_SENT,
	SCTP_S_COOKIE_REPLIED,
	SCTP_S_COOKIE_WAIT,
	SCTP_S_COOKIE,
	SCTP_S_COOKIE_ECHOED,
	SCTP_S_ESTABLISHED,
	SCTP_S_SHUTDOWN_SENT,
	SCTP_S_SHUTDOWN_RECEIVED,
	SCTP_S_SHUTDOWN_ACK_SENT,
	SCTP_S_REJECTED,
	SCTP_S_CLOSED,
	SCTP_S_LAST
};

static const char *const sctp_state_names[SCTP_S_LAST] = {
	[SCTP_S_NONE]			= "NONE",
	[SCTP_S_INIT1]			= "INIT1",
	[SCTP_S_INIT]			= "INIT",
	[SCTP_S_COOKIE_SENT]		= "C-SENT",
	[SCTP_S_COOKIE_REPLIED]		= "C-REPLIED",
	[SCTP_S_COOKIE_WAIT]		= "C-WAIT",
	[SCTP_S_COOKIE]			= "COOKIE",
	[SCTP_S_COOKIE_ECHOED]		= "C-ECHOED",
	[SCTP_S_ESTABLISHED]		= "ESTABLISHED",
	[SCTP_S_SHUTDOWN_SENT]		= "S-SENT",
	[SCTP_S_SHUTDOWN_RECEIVED]	= "S-RECEIVED",
	[SCTP_S_SHUTDOWN_ACK_SENT]	= "S-ACK-SENT",
	[SCTP_S_REJECTED]		= "REJECTED",
	[SCTP_S_CLOSED]			= "CLOSED",
};

/* Seconds; the handshake and shutdown states wait for the longest RTO. */
#define SCTP_MAX_RTO	(60 + 1)
static const unsigned short sctp_timeouts[SCTP_S_LAST] = {
	[SCTP_S_NONE]			= 2,
	[SCTP_S_INIT1]			= 4,
	[SCTP_S_INIT]			= SCTP_MAX_RTO,
	[SCTP_S_COOKIE_SENT]		= SCTP_MAX_RTO,
	[SCTP_S_COOKIE_REPLIED]		= SCTP_MAX_RTO,
	[SCTP_S_COOKIE_WAIT]		= SCTP_MAX_RTO,
	[SCTP_S_COOKIE]			= SCTP_MAX_RTO,
	[SCTP_S_COOKIE_ECHOED]		= SCTP_MAX_RTO,
	[SCTP_S_ESTABLISHED]		= 15 * 60,
	[SCTP_S_SHUTDOWN_SENT]		= SCTP_MAX_RTO,
	[SCTP_S_SHUTDOWN_RECEIVED]	= SCTP_MAX_RTO,
	[SCTP_S_SHUTDOWN_ACK_SENT]	= SCTP_MAX_RTO,
	[SCTP_S_REJECTED]		= 4,
	[SCTP_S_CLOSED]			= SCTP_MAX_RTO,
};

/* Events: what the first chunk of a packet means to the state machine. */
enum {
	SCTP_E_DATA = 0,	/* DATA, SACK, HEARTBEAT(-ACK), ECN, unknown */
	SCTP_E_INIT,
	SCTP_E_INIT_ACK,
	SCTP_E_COOKIE_ECHO,
	SCTP_E_COOKIE_ACK,
	SCTP_E_SHUTDOWN,
	SCTP_E_SHUTDOWN_ACK,
	SCTP_E_SHUTDOWN_COMPLETE,
	SCTP_E_ERROR,
	SCTP_E_ABORT,
	SCTP_E_NUM
};

/*
 * Next state by [direction][event][current state], one letter per current
 * state in enum order:
 *   N NONE, 1 INIT1, I INIT, S COOKIE_SENT, R COOKIE_REPLIED, W COOKIE_WAIT,
 *   K COOKIE, H COOKIE_ECHOED, E ESTABLISHED, s SHUTDOWN_SENT,
 *   r SHUTDOWN_RECEIVED, a SHUTDOWN_ACK_SENT, J REJECTED, C CLOSED.
 */
static const char sctp_next[3][SCTP_E_NUM][SCTP_S_LAST + 1] = {
	[IPVS_DIR_INPUT] = {
		[SCTP_E_DATA]			= "E1ISRWKHEsraJC",
		[SCTP_E_INIT]			= "1IISRWKHEsraII",
		[SCTP_E_INIT_ACK]		= "WWWSRKKHEsraJC",
		[SCTP_E_COOKIE_ECHO]		= "RIIRRWKHEsraJC",
		[SCTP_E_COOKIE_ACK]		= "E1ISRWKEEsraJC",
		[SCTP_E_SHUTDOWN]		= "r1ISRWKHrsraJC",
		[SCTP_E_SHUTDOWN_ACK]		= "CIISRWKHECrCJC",
		[SCTP_E_SHUTDOWN_COMPLETE]	= "CCCSRWKHEsrCJC",
		[SCTP_E_ERROR]			= "C1ISRWKCEsraJC",
		[SCTP_E_ABORT]			= "CCCCCJCCCCCCCC",
	},
	[IPVS_DIR_OUTPUT] = {
		[SCTP_E_DATA]			= "E1ISRWKHEsraJC",
		[SCTP_E_INIT]			= "WWWWWWWWEWWWWW",
		[SCTP_E_INIT_ACK]		= "SSSSRWKHEsraJC",
		[SCTP_E_COOKIE_ECHO]		= "HHHHHHHHEsraJC",
		[SCTP_E_COOKIE_ACK]		= "EEEEEEEEEsraJC",
		[SCTP_E_SHUTDOWN]		= "ssssssssssraJC",
		[SCTP_E_SHUTDOWN_ACK]		= "aaaaaWKHEaaaJC",
		[SCTP_E_SHUTDOWN_COMPLETE]	= "C1ISRWKHEsraJC",
		[SCTP_E_ERROR]			= "CCCCCWKHEsraJC",
		[SCTP_E_ABORT]			= "CJCCCCCCCCCCCC",
	},
	[IPVS_DIR_INPUT_ONLY] = {
		[SCTP_E_DATA]			= "E1ISREKHEsraJC",
		[SCTP_E_INIT]			= "1IIIIIKHEsraII",
		[SCTP_E_INIT_ACK]		= "HHHHHHKHEsraJC",
		[SCTP_E_COOKIE_ECHO]		= "EEEEEEKHEsraJC",
		[SCTP_E_COOKIE_ACK]		= "E1IEEWEEEsraJC",
		[SCTP_E_SHUTDOWN]		= "r1ISRWKHrsraJC",
		[SCTP_E_SHUTDOWN_ACK]		= "CIISRWKHCCrCJC",
		[SCTP_E_SHUTDOWN_COMPLETE]	= "CCCCCWKHEsCCJC",
		[SCTP_E_ERROR]			= "C1ISRWKHEsraJC",
		[SCTP_E_ABORT]			= "CCCCCJCCCCCCCC",
	},
};

static u8 sctp_letter_state(char c)
{
	static const char letters[SCTP_S_LAST + 1] = "N1ISRWKHEsraJC";
	const char *p = strchr(letters, c);

	return p && c ? p - letters : SCTP_S_CLOSED;
}

static int sctp_event(u8 chunk_type)
{
	switch (chunk_type) {
	case SCTP_CID_INIT:		return SCTP_E_INIT;
	case SCTP_CID_INIT_ACK:		return SCTP_E_INIT_ACK;
	case SCTP_CID_COOKIE_ECHO:	return SCTP_E_COOKIE_ECHO;
	case SCTP_CID_COOKIE_ACK:	return SCTP_E_COOKIE_ACK;
	case SCTP_CID_SHUTDOWN:		return SCTP_E_SHUTDOWN;
	case SCTP_CID_SHUTDOWN_ACK:	return SCTP_E_SHUTDOWN_ACK;
	case SCTP_CID_SHUTDOWN_COMPLETE: return SCTP_E_SHUTDOWN_COMPLETE;
	case SCTP_CID_ERROR:		return SCTP_E_ERROR;
	case SCTP_CID_ABORT:		return SCTP_E_ABORT;
	default:			return SCTP_E_DATA;
	}
}

static const struct sctp_chunkhdr *sctp_first_chunk(struct sk_buff *skb,
						     const struct ipvs_iphdr *iph,
						     struct sctp_chunkhdr *buf)
{
	return skb_header_pointer(skb, iph->len + sizeof(struct sctphdr), sizeof(*buf), buf);
}

static const char *sctp_state_name(unsigned int state)
{
	return state < SCTP_S_LAST ? sctp_state_names[state] : "ERR!";
}

/* Only an INIT starts an association (any chunk but ABORT if sloppy). */
static bool sctp_conn_schedule(struct ipvs_dp_net *dp, struct sk_buff *skb,
			       const struct ipvs_iphdr *iph)
{
	struct sctp_chunkhdr _ch;
	const struct sctp_chunkhdr *ch = sctp_first_chunk(skb, iph, &_ch);

	return ch && ch->type != SCTP_CID_ABORT &&
	       (ch->type == SCTP_CID_INIT || READ_ONCE(dp->sysctl.sloppy_sctp));
}

static bool sctp_is_new_conn(struct sk_buff *skb, const struct ipvs_iphdr *iph)
{
	struct sctp_chunkhdr _ch;
	const struct sctp_chunkhdr *ch = sctp_first_chunk(skb, iph, &_ch);

	return ch && ch->type == SCTP_CID_INIT;
}

static bool sctp_conn_reusable(const struct ipvs_conn *cp, int mode)
{
	return READ_ONCE(cp->state) == SCTP_S_CLOSED;
}

static void sctp_state_transition(struct ipvs_dp_net *dp, struct ipvs_conn *cp, int dir,
				  struct sk_buff *skb, const struct ipvs_iphdr *iph)
{
	unsigned int off = iph->len + sizeof(struct sctphdr);
	struct sctp_chunkhdr _ch;
	const struct sctp_chunkhdr *ch = sctp_first_chunk(skb, iph, &_ch);
	u8 type, next;

	if (!ch)
		return;
	type = ch->type;
	if (type == SCTP_CID_COOKIE_ECHO || type == SCTP_CID_COOKIE_ACK) {
		unsigned int len = ntohs(ch->length);

		if (len >= sizeof(_ch)) {
			ch = skb_header_pointer(skb, off + ALIGN(len, 4), sizeof(_ch), &_ch);
			if (ch && ch->type == SCTP_CID_ABORT)
				type = SCTP_CID_ABORT;
		}
	}

	spin_lock(&cp->lock);
	if (cp->flags & IP_VS_CONN_F_NOOUTPUT) {
		if (dir == IPVS_DIR_OUTPUT)
			cp->flags &= ~IP_VS_CONN_F_NOOUTPUT;
		else
			dir = IPVS_DIR_INPUT_ONLY;
	}
	next = cp->state < SCTP_S_LAST ?
	       sctp_letter_state(sctp_next[dir][sctp_event(type)][cp->state]) : SCTP_S_CLOSED;
	if (next == SCTP_S_ESTABLISHED && cp->state != next)
		ipvs_conn_assure_ct(cp);
	ipvs_conn_state_set(cp, next, sctp_timeouts[next] * HZ, next == SCTP_S_ESTABLISHED);
	spin_unlock(&cp->lock);
}

static bool sctp_nat(struct sk_buff *skb, const struct ipvs_conn *cp,
		     const struct ipvs_iphdr *iph, bool in)
{
	struct sctphdr *sh = (struct sctphdr *)(skb->data + iph->len);
	__be16 *port = in ? &sh->dest : &sh->source;
	__be16 np = in ? cp->dport : cp->vport;

	if (*port == np && skb->ip_summed != CHECKSUM_PARTIAL) {
		skb->ip_summed = CHECKSUM_UNNECESSARY;
		return true;
	}
	*port = np;
	if (!skb_is_gso(skb)) {
		sh->checksum = sctp_compute_cksum(skb, iph->len);
		skb->ip_summed = CHECKSUM_UNNECESSARY;
	}
	return true;
}

const struct ipvs_proto ipvs_proto_sctp = {
	.protocol		= IPPROTO_SCTP,
	.name			= "SCTP",
	.init_state		= SCTP_S_NONE,
	.conn_schedule		= sctp_conn_schedule,
	.is_new_conn		= sctp_is_new_conn,
	.conn_reusable		= sctp_conn_reusable,
	.state_transition	= sctp_state_transition,
	.state_name		= sctp_state_name,
	.nat			= sctp_nat,
	.hdr_len		= sizeof(struct sctphdr),
};
