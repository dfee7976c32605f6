// SPDX-License-Identifier: GPL-2.0
/*
 * TCP: scheduling rule, connection state machine and NAT rewrite.
 *
 * The state machine is upstream's (states, their order and names, the
 * transitions for input, output and input-only connections, the timeouts),
 * so /proc/net/ip_vs_conn and the active/inactive counters read the same.
 * ESTABLISHED counts as an active connection, every other state as
 * inactive. The ESTABLISHED and FIN_WAIT timeouts are the namespace's
 * "ipvsadm --set" values; the others are upstream's fixed defaults.
 * (Upstream's secure_tcp alternative table is not implemented.)
 */
#include <linux/tcp.h>
#include <net/tcp.h>
#include <ipvs/conn.h>
#include <ipvs/proto.h>

enum {
	TCP_S_NONE = 0,
	TCP_S_ESTABLISHED,
	TCP_S_SYN_SENT,
	TCP_S_SYN_RECV,
	TCP_S_FIN_WAIT,
	TCP_S_TIME_WAIT,
	TCP_S_CLOSE,
	TCP_S_CLOSE_WAIT,
	TCP_S_LAST_ACK,
	TCP_S_LISTEN,
	TCP_S_SYNACK,
	TCP_S_LAST
};

static const char *const tcp_state_names[TCP_S_LAST] = {
	[TCP_S_NONE]		= "NONE",
	[TCP_S_ESTABLISHED]	= "ESTABLISHED",
	[TCP_S_SYN_SENT]	= "SYN_SENT",
	[TCP_S_SYN_RECV]	= "SYN_RECV",
	[TCP_S_FIN_WAIT]	= "FIN_WAIT",
	[TCP_S_TIME_WAIT]	= "TIME_WAIT",
	[TCP_S_CLOSE]		= "CLOSE",
	[TCP_S_CLOSE_WAIT]	= "CLOSE_WAIT",
	[TCP_S_LAST_ACK]	= "LAST_ACK",
	[TCP_S_LISTEN]		= "LISTEN",
	[TCP_S_SYNACK]		= "SYNACK",
};

/* Fixed timeouts, seconds; ESTABLISHED and FIN_WAIT come from ipvs_net. */
static const unsigned short tcp_timeouts[TCP_S_LAST] = {
	[TCP_S_NONE]		= 2,
	[TCP_S_ESTABLISHED]	= 15 * 60,
	[TCP_S_SYN_SENT]	= 2 * 60,
	[TCP_S_SYN_RECV]	= 60,
	[TCP_S_FIN_WAIT]	= 2 * 60,
	[TCP_S_TIME_WAIT]	= 2 * 60,
	[TCP_S_CLOSE]		= 10,
	[TCP_S_CLOSE_WAIT]	= 60,
	[TCP_S_LAST_ACK]	= 30,
	[TCP_S_LISTEN]		= 2 * 60,
	[TCP_S_SYNACK]		= 2 * 60,
};

/*
 * Next state by [direction][flag][current state]. Each row is written as a
 * string, one letter per current state in enum order:
 *   N NONE, E ESTABLISHED, S SYN_SENT, R SYN_RECV, F FIN_WAIT, T TIME_WAIT,
 *   C CLOSE, W CLOSE_WAIT, L LAST_ACK, I LISTEN, A SYNACK.
 * Flags in priority order: rst, syn, fin, ack (see tcp_flag_idx()).
 */
enum { TCP_F_SYN, TCP_F_FIN, TCP_F_ACK, TCP_F_RST, TCP_F_NUM };

static const char tcp_next[3][TCP_F_NUM][TCP_S_LAST + 1] = {
	[IPVS_DIR_INPUT] = {
		[TCP_F_SYN] = "REERRRRRRRR",
		[TCP_F_FIN] = "CWSTTTCWLIT",
		[TCP_F_ACK] = "CESEFTCWCIE",
		[TCP_F_RST] = "CCCRCCCCLIR",
	},
	[IPVS_DIR_OUTPUT] = {
		[TCP_F_SYN] = "SESRSSSSSIR",
		[TCP_F_FIN] = "TFSTFTCTLIT",
		[TCP_F_ACK] = "EESEFTCWLEE",
		[TCP_F_RST] = "CCSCCTCCCCC",
	},
	[IPVS_DIR_INPUT_ONLY] = {
		[TCP_F_SYN] = "REERRRRRRRR",
		[TCP_F_FIN] = "CFSTFTCWLIT",
		[TCP_F_ACK] = "CESEFTCWCIE",
		[TCP_F_RST] = "CCCRCCCCLIC",
	},
};

/* The state a letter of tcp_next stands for (unlisted: NONE). */
static const u8 tcp_letters['Z' - 'A' + 1] = {
	['E' - 'A'] = TCP_S_ESTABLISHED,
	['S' - 'A'] = TCP_S_SYN_SENT,
	['R' - 'A'] = TCP_S_SYN_RECV,
	['F' - 'A'] = TCP_S_FIN_WAIT,
	['T' - 'A'] = TCP_S_TIME_WAIT,
	['C' - 'A'] = TCP_S_CLOSE,
	['W' - 'A'] = TCP_S_CLOSE_WAIT,
	['L' - 'A'] = TCP_S_LAST_ACK,
	['I' - 'A'] = TCP_S_LISTEN,
	['A' - 'A'] = TCP_S_SYNACK,
};

static u8 tcp_next_state(int dir, int idx, u8 state)
{
	return tcp_letters[tcp_next[dir][idx][state] - 'A'];
}

/* The flags byte of a whole TCP header, or -1 if the packet has none. */
static noinline int tcp_flags_read(struct sk_buff *skb, const struct ipvs_iphdr *iph)
{
	struct tcphdr _th;
	const struct tcphdr *th = skb_header_pointer(skb, iph->len, sizeof(_th), &_th);

	return th ? tcp_flag_byte(th) : -1;
}

/* From the parse when it had them (hooks.c), else from the packet. */
static inline int tcp_flags(struct sk_buff *skb, const struct ipvs_iphdr *iph)
{
	if (likely(iph->flags & IPVS_IPH_F_TCPFL))
		return iph->tcpflags;
	return tcp_flags_read(skb, iph);
}

static int tcp_flag_idx(u8 fl)
{
	if (fl & TCPHDR_RST)
		return TCP_F_RST;
	if (fl & TCPHDR_SYN)
		return TCP_F_SYN;
	if (fl & TCPHDR_FIN)
		return TCP_F_FIN;
	if (fl & TCPHDR_ACK)
		return TCP_F_ACK;
	return -1;
}

static unsigned int tcp_timeout(const struct ipvs_net *ipvs, u8 state)
{
	if (state == TCP_S_ESTABLISHED)
		return READ_ONCE(ipvs->timeout_tcp);
	if (state == TCP_S_FIN_WAIT)
		return READ_ONCE(ipvs->timeout_tcp_fin);
	return tcp_timeouts[state] * HZ;
}

static const char *tcp_state_name(unsigned int state)
{
	return state < TCP_S_LAST ? tcp_state_names[state] : "ERR!";
}

static bool tcp_conn_schedule(struct ipvs_dp_net *dp, struct sk_buff *skb,
			      const struct ipvs_iphdr *iph)
{
	int fl = tcp_flags(skb, iph);

	return fl >= 0 && ((fl & TCPHDR_SYN) || READ_ONCE(dp->sysctl.sloppy_tcp));
}

static bool tcp_is_new_conn(struct sk_buff *skb, const struct ipvs_iphdr *iph)
{
	int fl = tcp_flags(skb, iph);

	return fl >= 0 && (fl & TCPHDR_SYN);
}

static bool tcp_conn_reusable(const struct ipvs_conn *cp, int mode)
{
	u8 state = READ_ONCE(cp->state);

	return state == TCP_S_TIME_WAIT || state == TCP_S_CLOSE ||
	       ((mode & 2) && state == TCP_S_FIN_WAIT &&
		(READ_ONCE(cp->flags) & IP_VS_CONN_F_NOOUTPUT));
}

/*
 * Most packets of a flow leave its state and timeout as they are: then
 * there is nothing to write and no lock to take. Anything else (a new
 * state, a timeout changed by --set, the NOOUTPUT flag to clear) is done
 * under cp->lock.
 */
static __always_inline bool tcp_state_unchanged(struct ipvs_dp_net *dp,
						const struct ipvs_conn *cp, int dir, int idx)
{
	u8 st = READ_ONCE(cp->state);

	return idx >= 0 && st < TCP_S_LAST &&
	       !(READ_ONCE(cp->flags) & IP_VS_CONN_F_NOOUTPUT) &&
	       tcp_next_state(dir, idx, st) == st &&
	       READ_ONCE(cp->timeout) == tcp_timeout(dp->ipvs, st);
}

static void tcp_state_transition(struct ipvs_dp_net *dp, struct ipvs_conn *cp, int dir,
				 struct sk_buff *skb, const struct ipvs_iphdr *iph)
{
	int fl = tcp_flags(skb, iph);
	u8 next = TCP_S_CLOSE;
	int idx;

	if (fl < 0)
		return;
	idx = tcp_flag_idx(fl);
	if (tcp_state_unchanged(dp, cp, dir, idx))
		return;

	spin_lock(&cp->lock);
	if (cp->flags & IP_VS_CONN_F_NOOUTPUT) {
		if (dir == IPVS_DIR_OUTPUT)
			cp->flags &= ~IP_VS_CONN_F_NOOUTPUT;
		else
			dir = IPVS_DIR_INPUT_ONLY;
	}
	if (idx >= 0 && cp->state < TCP_S_LAST)
		next = tcp_next_state(dir, idx, cp->state);
	if (next == TCP_S_ESTABLISHED && cp->state != next)
		ipvs_conn_assure_ct(cp);
	ipvs_conn_state_set(cp, next, tcp_timeout(dp->ipvs, next), next == TCP_S_ESTABLISHED);
	spin_unlock(&cp->lock);
}

static bool tcp_nat(struct sk_buff *skb, const struct ipvs_conn *cp,
		    const struct ipvs_iphdr *iph, bool in)
{
	return ipvs_tcp_nat(skb, cp, iph, in);
}

const struct ipvs_proto ipvs_proto_tcp = {
	.protocol		= IPPROTO_TCP,
	.name			= "TCP",
	.init_state		= TCP_S_NONE,
	.conn_schedule		= tcp_conn_schedule,
	.is_new_conn		= tcp_is_new_conn,
	.conn_reusable		= tcp_conn_reusable,
	.state_transition	= tcp_state_transition,
	.state_name		= tcp_state_name,
	.nat			= tcp_nat,
	.hdr_len		= sizeof(struct tcphdr),
};
