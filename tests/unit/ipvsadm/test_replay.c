// SPDX-License-Identifier: GPL-2.0
/*
 * test-replay: feeds netlink replies recorded from a kernel (see
 * record.sh; frames of {tag 'Q'|'A', u32 len, bytes}) through ipvsadm's
 * reply parsers and printers, and compares the text with what upstream
 * ipvsadm printed for the same kernel state.
 *
 *   test-replay services REC DIR   -L/-S variants, expected DIR/<name>.txt
 *   test-replay timeout REC FILE
 *   test-replay daemon REC FILE
 * Prints one TAP-style result line per comparison (numbered by run.sh).
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <netlink/netlink.h>
#include <netlink/msg.h>
#include <netlink/attr.h>
#include <netlink/genl/genl.h>

#include "ipvsadm.h"
#include <ipvs/ng_uapi.h>

struct state {
	struct vs_info info;
	struct vs_svc_list list;
	struct vs_timeout to;
	struct vs_daemon dm[2];
	int ndm;
};

static unsigned char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	unsigned char *buf = NULL;
	size_t cap = 0, n;

	*len = 0;
	if (!f)
		return NULL;
	do {
		if (*len == cap) {
			cap = cap ? cap * 2 : 65536;
			buf = realloc(buf, cap);
		}
		n = fread(buf + *len, 1, cap - *len, f);
		*len += n;
	} while (n > 0);
	fclose(f);
	return buf;
}

/* The service a GET_DEST request names, matched against the dump. */
static struct vs_svc_entry *dest_owner(struct state *st, struct nlmsghdr *q)
{
	struct nlattr *top[IPVS_CMD_ATTR_MAX + 1], *a[IPVS_SVC_ATTR_MAX + 1];
	struct vs_service key;

	memset(&key, 0, sizeof(key));
	if (genlmsg_parse(q, 0, top, IPVS_CMD_ATTR_MAX, NULL) < 0 ||
	    !top[IPVS_CMD_ATTR_SERVICE] ||
	    nla_parse_nested(a, IPVS_SVC_ATTR_MAX, top[IPVS_CMD_ATTR_SERVICE],
			     NULL) < 0)
		return NULL;
	key.af = nla_get_u16(a[IPVS_SVC_ATTR_AF]);
	if (a[IPVS_SVC_ATTR_FWMARK]) {
		key.fwmark = nla_get_u32(a[IPVS_SVC_ATTR_FWMARK]);
	} else {
		key.protocol = nla_get_u16(a[IPVS_SVC_ATTR_PROTOCOL]);
		nla_memcpy(&key.addr, a[IPVS_SVC_ATTR_ADDR], sizeof(key.addr));
		key.port = nla_get_u16(a[IPVS_SVC_ATTR_PORT]);
	}
	for (int i = 0; i < st->list.n; i++) {
		struct vs_service *s = &st->list.e[i].svc;

		if (s->af == key.af && s->fwmark == key.fwmark &&
		    s->protocol == key.protocol && s->port == key.port &&
		    !memcmp(&s->addr, &key.addr, sizeof(key.addr)))
			return &st->list.e[i];
	}
	return NULL;
}

static int answer(struct state *st, struct nlmsghdr *q, struct nlmsghdr *h)
{
	struct genlmsghdr *g = nlmsg_data(q);
	struct vs_svc_entry *e;
	struct vs_dest d;

	switch (g->cmd) {
	case IPVS_CMD_GET_INFO:
		return vs_parse_info_msg(h, &st->info);
	case IPVS_CMD_GET_SERVICE:
		e = vs_svc_list_add(&st->list);
		return e ? vs_parse_service_msg(h, &e->svc) : -1;
	case IPVS_CMD_GET_DEST:
		e = dest_owner(st, q);
		if (!e || vs_parse_dest_msg(h, e->svc.af, &d) < 0)
			return -1;
		return vs_dest_add_to(e, &d);
	case IPVS_NG_CMD_GET_DESTS:
		/* the service is named in each reply, not in the request */
		e = dest_owner(st, h);
		if (!e || vs_parse_dest_msg(h, e->svc.af, &d) < 0)
			return -1;
		return vs_dest_add_to(e, &d);
	case IPVS_CMD_GET_CONFIG:
		return vs_parse_timeout_msg(h, &st->to);
	case IPVS_CMD_GET_DAEMON:
		if (st->ndm >= 2)
			return -1;
		return vs_parse_daemon_msg(h, &st->dm[st->ndm++]);
	}
	return 0;
}

static int replay(const char *path, struct state *st)
{
	size_t len, off = 0;
	unsigned char *buf = slurp(path, &len);
	struct nlmsghdr *q = NULL;

	memset(st, 0, sizeof(*st));
	if (!buf)
		return -1;
	while (off + 5 <= len) {
		char tag = buf[off];
		uint32_t n;
		struct nlmsghdr *h;
		int rem;

		memcpy(&n, buf + off + 1, 4);
		off += 5;
		if (off + n > len)
			return -1;
		h = (struct nlmsghdr *)(buf + off);
		off += n;
		if (tag == 'Q') {
			q = h;
			continue;
		}
		for (rem = n; nlmsg_ok(h, rem); h = nlmsg_next(h, &rem)) {
			if (h->nlmsg_type == NLMSG_DONE ||
			    h->nlmsg_type == NLMSG_ERROR)
				continue;
			if (!q || answer(st, q, h) < 0)
				return -1;
		}
	}
	return 0;	/* buf stays alive: nothing points into it afterwards */
}

static char *slurp_text(const char *path)
{
	size_t len;
	char *t = (char *)slurp(path, &len);

	if (t) {
		t = realloc(t, len + 1);
		t[len] = '\0';
	}
	return t;
}

static void verdict(const char *name, const char *got, const char *want)
{
	if (want && !strcmp(got, want)) {
		printf("ok - %s\n", name);
		return;
	}
	printf("not ok - %s\n", name);
	printf("# expected:\n");
	for (const char *p = want ? want : "(missing)\n"; *p; ) {
		const char *nl = strchr(p, '\n');
		int l = nl ? (int)(nl - p) : (int)strlen(p);

		printf("#   %.*s\n", l, p);
		p += l + (nl ? 1 : 0);
	}
	printf("# got:\n");
	for (const char *p = got; *p; ) {
		const char *nl = strchr(p, '\n');
		int l = nl ? (int)(nl - p) : (int)strlen(p);

		printf("#   %.*s\n", l, p);
		p += l + (nl ? 1 : 0);
	}
}

static struct vs_svc_list copy_list(const struct vs_svc_list *l)
{
	struct vs_svc_list c = { 0 };

	for (int i = 0; i < l->n; i++) {
		struct vs_svc_entry *e = vs_svc_list_add(&c);

		e->svc = l->e[i].svc;
		for (int j = 0; j < l->e[i].ndests; j++)
			vs_dest_add_to(e, &l->e[i].dests[j]);
	}
	return c;
}

static const struct {
	const char *name;
	unsigned int fmt;
} variants[] = {
	{ "L-n", FMT_NUMERIC },
	{ "L-n--stats", FMT_NUMERIC | FMT_STATS },
	{ "L-n--rate", FMT_NUMERIC | FMT_RATE },
	{ "L-n--thresholds", FMT_NUMERIC | FMT_THRESHOLDS },
	{ "L-n--persistent-conn", FMT_NUMERIC | FMT_PERSISTENTCONN },
	{ "L-n--tun-info", FMT_NUMERIC | FMT_TUN_INFO },
	{ "L-n--exact", FMT_NUMERIC | FMT_EXACT },
	{ "L-n--nosort", FMT_NUMERIC | FMT_NOSORT },
	{ "L-n--nosort--tun-info", FMT_NUMERIC | FMT_NOSORT | FMT_TUN_INFO },
	{ "S-n", FMT_NUMERIC | FMT_RULE },
};

static int services(const char *rec, const char *dir)
{
	struct state st;
	char path[4096];

	if (replay(rec, &st) < 0) {
		printf("not ok - replay %s\n", rec);
		return 1;
	}
	printf("%s - replay of %s parses (%d services)\n",
	       st.list.n > 0 ? "ok" : "not ok", rec, st.list.n);
	for (size_t v = 0; v < sizeof(variants) / sizeof(variants[0]); v++) {
		struct vs_svc_list l = copy_list(&st.list);
		unsigned int fmt = variants[v].fmt;
		char *got = NULL, *want, name[256];
		size_t glen;
		FILE *f = open_memstream(&got, &glen);

		if (!(fmt & FMT_RULE))
			vs_print_header(f, &st.info);
		vs_sort_list(&l, fmt);
		vs_print_title(f, fmt);
		for (int i = 0; i < l.n; i++)
			vs_print_service(f, &l.e[i], fmt);
		fclose(f);
		snprintf(path, sizeof(path), "%s/%s.txt", dir, variants[v].name);
		want = slurp_text(path);
		snprintf(name, sizeof(name), "replayed dump printed as "
			 "upstream's %s", variants[v].name);
		verdict(name, got, want);
		free(got);
		free(want);
		vs_svc_list_free(&l);
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct state st;
	char *got = NULL, *want;
	size_t glen;
	FILE *f;

	vs_progname = "ipvsadm";
	if (argc != 4)
		return 2;
	if (!strcmp(argv[1], "services"))
		return services(argv[2], argv[3]);
	if (replay(argv[2], &st) < 0) {
		printf("not ok - replay %s\n", argv[2]);
		return 1;
	}
	f = open_memstream(&got, &glen);
	if (!strcmp(argv[1], "timeout"))
		vs_print_timeout(f, &st.to);
	else
		vs_print_daemons(f, st.dm);
	fclose(f);
	want = slurp_text(argv[3]);
	verdict(!strcmp(argv[1], "timeout") ?
		"replayed GET_CONFIG printed as upstream's -L --timeout" :
		"replayed GET_DAEMON printed as upstream's -L --daemon",
		got, want);
	free(got);
	free(want);
	return 0;
}
