// SPDX-License-Identifier: GPL-2.0
/*
 * predict: which real server would ipvs-ng's scheduling rules choose for a
 * series of new connections? Built on the host from the same logic headers
 * as the modules (net/ipvs/sched_*_logic.h); the VM test
 * vm/stock-xcheck.sh feeds it the servers in the order the stock module
 * lists them, and compares its answers with the stock module's choices.
 *
 * stdin:
 *   sched <lc|wlc|sed|nq|fo|ovf|sh|dh|mh|lblc|lblcr> [fallback] [port]
 *   af <4|6>
 *   server <addr> <port> <weight> [<last weight> [<active> <inactive>]]
 *                                        (list order, as ipvsadm -Ln shows)
 *   count <active|inactive>              (what a new connection adds to)
 *   conn <tcp|udp> <saddr> <sport> <daddr> <dport>
 * stdout, per conn: "<saddr>:<sport> <daddr>:<dport> <server address>" (or
 * "none"). Every connection made adds one to its server's active or
 * inactive count, as the "count" line says (the VM test reads which one
 * the data plane used).
 */
#include "shim/ipvs/sched.h"
#include "../../../net/ipvs/sched_conn_logic.h"
#include "../../../net/ipvs/sched_hash_logic.h"
#include "../../../net/ipvs/sched_mh_logic.h"

#define MAXS 512

static struct ipvs_dest *dl[MAXS];
static unsigned int n;
static u16 af = AF_INET;

struct cache {
	union nf_inet_addr	addr;
	struct ipvs_dest	*set[MAXS];
	unsigned int		size;
};

static struct cache caches[4096];
static unsigned int ncaches;

static struct cache *cache_get(const union nf_inet_addr *a)
{
	unsigned int i;

	for (i = 0; i < ncaches; i++) {
		if (ipvs_addr_equal(af, &caches[i].addr, a))
			return &caches[i];
	}
	return NULL;
}

static const char *fmt(const union nf_inet_addr *a, __be16 port, char *buf, size_t len)
{
	char ip[64];

	inet_ntop(af == AF_INET6 ? AF_INET6 : AF_INET, a, ip, sizeof(ip));
	if (af == AF_INET6)
		snprintf(buf, len, "[%s]:%u", ip, ntohs(port));
	else
		snprintf(buf, len, "%s:%u", ip, ntohs(port));
	return buf;
}

int main(void)
{
	static struct ipvs_dest *buckets[IPVS_MH_TAB_SIZE];
	static unsigned long used[BITS_TO_LONGS(IPVS_MH_TAB_SIZE)];
	static struct ipvs_mh_setup setup[MAXS];
	char line[512], sched[16] = "", w1[16], w2[16];
	bool fallback = false, useport = false, built = false, active = false;
	unsigned int i;

	while (fgets(line, sizeof(line), stdin)) {
		char proto[8], sa[64], da[64], a[64], b1[96], b2[96], b3[96];
		unsigned int sp, dp, port;
		int w;

		if (sscanf(line, "sched %15s %15s %15s", sched, w1, w2) >= 1) {
			fallback = strstr(line, "fallback");
			useport = strstr(line, " port");
		} else if (!strncmp(line, "count ", 6)) {
			active = !strncmp(line + 6, "active", 6);
		} else if (sscanf(line, "af %d", &w) == 1) {
			af = w == 6 ? AF_INET6 : AF_INET;
		} else if (sscanf(line, "server %63s %u %d", a, &port, &w) == 3) {
			struct ipvs_dest *d = calloc(1, sizeof(*d));
			int lw = w, act = 0, inact = 0;

			sscanf(line, "server %*s %*u %*d %d %d %d", &lw, &act, &inact);
			d->af = af;
			inet_pton(af, a, &d->addr);
			d->port = htons(port);
			atomic_set(&d->weight, w);
			atomic_set(&d->last_weight, lw);
			atomic_set(&d->activeconns, act);
			atomic_set(&d->inactconns, inact);
			d->flags = IP_VS_DEST_F_AVAILABLE;
			dl[n++] = d;
		} else if (sscanf(line, "conn %7s %63s %u %63s %u", proto, sa, &sp, da, &dp) == 5) {
			struct ipvs_iphdr h = { .af = af };
			struct ipvs_dest *d = NULL;
			struct cache *c;

			h.protocol = !strcmp(proto, "udp") ? IPPROTO_UDP : IPPROTO_TCP;
			inet_pton(af, sa, &h.saddr);
			inet_pton(af, da, &h.daddr);
			h.sport = htons(sp);
			h.dport = htons(dp);
			if (!built) {
				if (!strcmp(sched, "sh"))
					ipvs_sh_fill(buckets, dl, n);
				if (!strcmp(sched, "dh"))
					ipvs_dh_fill(buckets, dl, n);
				if (!strcmp(sched, "mh")) {
					for (i = 0; i < n; i++)
						setup[i] = (struct ipvs_mh_setup){ .dest = dl[i] };
					ipvs_mh_build(buckets, used, setup, n, af);
				}
				built = true;
			}
			if (!strcmp(sched, "lc"))
				d = ipvs_lc_pick(dl, n);
			else if (!strcmp(sched, "wlc"))
				d = ipvs_wlc_pick(dl, n);
			else if (!strcmp(sched, "sed"))
				d = ipvs_sed_pick(dl, n);
			else if (!strcmp(sched, "nq"))
				d = ipvs_nq_pick(dl, n);
			else if (!strcmp(sched, "fo"))
				d = ipvs_fo_pick(dl, n);
			else if (!strcmp(sched, "ovf"))
				d = ipvs_ovf_pick(dl, n);
			else if (!strcmp(sched, "sh"))
				d = ipvs_sh_get(buckets, af, ipvs_iph_client(&h),
						useport ? ipvs_iph_client_port(&h) : 0, fallback);
			else if (!strcmp(sched, "dh"))
				d = ipvs_dh_get(buckets, af, &h.daddr);
			else if (!strcmp(sched, "mh"))
				d = ipvs_mh_get(buckets, af, ipvs_iph_client(&h),
						useport ? ipvs_iph_client_port(&h) : 0, fallback);
			else if (!strcmp(sched, "lblc") || !strcmp(sched, "lblcr")) {
				/* The cached server (lblc) or the set's least loaded
				 * member (lblcr), unless lblc-overloaded; else the wlc
				 * server, cached / added to the set. Expiry is a day
				 * away, so it plays no part here. */
				c = cache_get(&h.daddr);
				if (c && !strcmp(sched, "lblc") && atomic_read(&c->set[0]->weight) > 0)
					d = c->set[0];
				else if (c && !strcmp(sched, "lblcr"))
					d = ipvs_lblcr_set_min(c->set, c->size);
				if (d && ipvs_lblc_overloaded(d, dl, n))
					d = NULL;
				if (!d) {
					d = ipvs_wlc_pick(dl, n);
					if (d && !c && ncaches < ARRAY_SIZE(caches)) {
						c = &caches[ncaches++];
						c->addr = h.daddr;
					}
					for (i = 0; d && c && i < c->size; i++) {
						if (c->set[i] == d)
							break;
					}
					if (d && c && !strcmp(sched, "lblc")) {
						c->set[0] = d;
						c->size = 1;
					} else if (d && c && i == c->size) {
						memmove(c->set + 1, c->set, c->size * sizeof(d));
						c->set[0] = d;
						c->size++;
					}
				}
			} else {
				fprintf(stderr, "unknown scheduler %s\n", sched);
				return 2;
			}
			if (d)
				atomic_inc(active ? &d->activeconns : &d->inactconns);
			printf("%s %s %s\n", fmt(&h.saddr, h.sport, b1, sizeof(b1)),
			       fmt(&h.daddr, h.dport, b2, sizeof(b2)),
			       d ? inet_ntop(af, &d->addr, b3, sizeof(b3)) : "none");
		}
	}
	return 0;
}
