// SPDX-License-Identifier: GPL-2.0
/*
 * Command line: the popt option table, the command x option legality
 * matrix and the tunnel-type x option matrix (both pure data), and the
 * semantic checks that ipvsadm 1.31 applies before talking to the kernel.
 */
#include <arpa/inet.h>
#include <limits.h>
#include <popt.h>
#include <stdlib.h>
#include <string.h>

#include "ipvsadm.h"

const char *const vs_cmd_names[CMD_COUNT] = {
	[CMD_NONE] = "",
	[CMD_ADD] = "add-service",
	[CMD_EDIT] = "edit-service",
	[CMD_DEL] = "delete-service",
	[CMD_FLUSH] = "flush",
	[CMD_LIST] = "list",
	[CMD_ADDDEST] = "add-server",
	[CMD_DELDEST] = "delete-server",
	[CMD_EDITDEST] = "edit-server",
	[CMD_TIMEOUT] = "set",
	[CMD_STARTDAEMON] = "start-daemon",
	[CMD_STOPDAEMON] = "stop-daemon",
	[CMD_RESTORE] = "restore",
	[CMD_SAVE] = "save",
	[CMD_ZERO] = "zero",
};

const char *const vs_opt_names[OPT_COUNT] = {
	[OPT_NUMERIC] = "numeric",
	[OPT_CONNECTION] = "connection",
	[OPT_SERVICE] = "service-address",
	[OPT_SCHEDULER] = "scheduler",
	[OPT_PERSISTENT] = "persistent",
	[OPT_NETMASK] = "netmask",
	[OPT_SERVER] = "real-server",
	[OPT_FORWARD] = "forwarding-method",
	[OPT_WEIGHT] = "weight",
	[OPT_UTHRESHOLD] = "u-threshold",
	[OPT_LTHRESHOLD] = "l-threshold",
	[OPT_MCAST_IFN] = "mcast-interface",
	[OPT_TIMEOUT] = "timeout",
	[OPT_DAEMON] = "daemon",
	[OPT_STATS] = "stats",
	[OPT_RATE] = "rate",
	[OPT_THRESHOLDS] = "thresholds",
	[OPT_PERSISTENTCONN] = "persistent-conn",
	[OPT_NOSORT] = "nosort",
	[OPT_SYNCID] = "syncid",
	[OPT_EXACT] = "exact",
	[OPT_ONEPACKET] = "ops",
	[OPT_PE] = "pe",
	[OPT_SCHED_FLAGS] = "sched-flags",
	[OPT_MCAST_GROUP] = "mcast-group",
	[OPT_MCAST_PORT] = "mcast-port",
	[OPT_MCAST_TTL] = "mcast-ttl",
	[OPT_SYNC_MAXLEN] = "sync-maxlen",
	[OPT_TUN_INFO] = "tun-info",
	[OPT_TUN_TYPE] = "tun-type",
	[OPT_TUN_PORT] = "tun-port",
	[OPT_TUN_NOCSUM] = "tun-nocsum",
	[OPT_TUN_CSUM] = "tun-csum",
	[OPT_TUN_REMCSUM] = "tun-remcsum",
	[OPT_JSON] = "json",
};

/*
 * Legality of each option (column, enum vs_opt order) with each command
 * (row).  One character per option:
 *   'R' required   '.' optional   '-' illegal
 *   '1' optional, but at most one of the '1' options of the row
 * Columns:
 *   n c s s p M r f w x y m t d s r t p n s e o p b g p t s t t t n c r j
 *   u o v c e a e w e u l c m m t a h c o y x p e   r o t i t t t o s e s
 *   m n c h r s a d i t t i o n a t r o s n a s     p r l z i y p c u m o
 */
static const char legal[CMD_COUNT][OPT_COUNT + 1] = {
	[CMD_NONE]        = "----------------------------------" "-",
	[CMD_ADD]         = "--R...---------------...----------" "-",
	[CMD_EDIT]        = "--R...---------------...----------" "-",
	[CMD_DEL]         = "--R-------------------------------" "-",
	[CMD_FLUSH]       = "----------------------------------" "-",
	[CMD_LIST]        = ".11---------11.......-------.-----" ".",
	[CMD_ADDDEST]     = "--R---R....------------------....." "-",
	[CMD_DELDEST]     = "--R---R---------------------------" "-",
	[CMD_EDITDEST]    = "--R---R....------------------....." "-",
	[CMD_TIMEOUT]     = "----------------------------------" "-",
	[CMD_STARTDAEMON] = "-----------.-------.----....------" "-",
	[CMD_STOPDAEMON]  = "-------------------.--------------" "-",
	[CMD_RESTORE]     = "----------------------------------" "-",
	[CMD_SAVE]        = ".---------------------------------" "-",
	[CMD_ZERO]        = "--.-------------------------------" "-",
};

static const char *const tun_names[IP_VS_CONN_F_TUNNEL_TYPE_MAX] = {
	"ipip", "gue", "gre",
};

/* Tunnel options, and their legality per tunnel type (same key). */
static const enum vs_opt tun_opts[] = {
	OPT_TUN_PORT, OPT_TUN_NOCSUM, OPT_TUN_CSUM, OPT_TUN_REMCSUM,
};
#define N_TUN_OPTS (sizeof(tun_opts) / sizeof(tun_opts[0]))

static const char tun_legal[IP_VS_CONN_F_TUNNEL_TYPE_MAX][N_TUN_OPTS + 1] = {
	[IP_VS_CONN_F_TUNNEL_TYPE_IPIP] = "----",
	[IP_VS_CONN_F_TUNNEL_TYPE_GUE]  = "R111",
	[IP_VS_CONN_F_TUNNEL_TYPE_GRE]  = "-11-",
};

static void check_matrix(const char *row, const enum vs_opt *cols, int ncols,
			 uint64_t options, const char *what, const char *kind)
{
	int seen1 = -1;

	for (int j = 0; j < ncols; j++) {
		enum vs_opt o = cols ? cols[j] : (enum vs_opt)j;
		int present = !!(options & OPTBIT(o));

		if (!present) {
			if (row[j] == 'R')
				vs_fail(2, "You need to supply the '%s' option "
					"for the '%s' %s",
					vs_opt_names[o], what, kind);
			continue;
		}
		if (row[j] == '-')
			vs_fail(2, "Illegal '%s' option with the '%s' %s",
				vs_opt_names[o], what, kind);
		if (row[j] == '1') {
			if (seen1 < 0) {
				seen1 = o;
				continue;
			}
			vs_fail(2, "The option '%s' conflicts with the '%s' "
				"option in the '%s' %s", vs_opt_names[o],
				vs_opt_names[seen1], what, kind);
		}
	}
}

/*
 * A row's letters as option masks, so that a legal command line (every
 * line of a restore file) costs three mask tests; only a violation walks
 * the row, to report the first offending option in table order.
 */
struct row_masks {
	uint64_t required, illegal, one_of;
	int ready;
};

static void check_row(struct row_masks *m, const char *row,
		      const enum vs_opt *cols, int ncols, uint64_t options,
		      const char *what, const char *kind)
{
	uint64_t one;

	if (!m->ready) {
		for (int j = 0; j < ncols; j++) {
			uint64_t bit = OPTBIT(cols ? cols[j] : (enum vs_opt)j);

			if (row[j] == 'R')
				m->required |= bit;
			else if (row[j] == '-')
				m->illegal |= bit;
			else if (row[j] == '1')
				m->one_of |= bit;
		}
		m->ready = 1;
	}
	one = options & m->one_of;
	if ((options & m->required) == m->required &&
	    !(options & m->illegal) && !(one & (one - 1)))
		return;
	check_matrix(row, cols, ncols, options, what, kind);
}

void vs_check_legal(enum vs_cmd cmd, uint64_t options)
{
	static struct row_masks masks[CMD_COUNT];

	check_row(&masks[cmd], legal[cmd], NULL, OPT_COUNT, options,
		  vs_cmd_names[cmd], "command");
}

void vs_check_tunnel(int tun_type, uint64_t options)
{
	static struct row_masks masks[IP_VS_CONN_F_TUNNEL_TYPE_MAX];

	check_row(&masks[tun_type], tun_legal[tun_type], tun_opts, N_TUN_OPTS,
		  options, tun_names[tun_type], "tunnel type");
}

/* popt return values; printable ones are the short option letters. */
enum {
	TAG_SET = 128,
	TAG_START_DAEMON,
	TAG_STOP_DAEMON,
	TAG_MCAST_INTERFACE,
	TAG_TIMEOUT,
	TAG_DAEMON,
	TAG_STATS,
	TAG_RATE,
	TAG_THRESHOLDS,
	TAG_PERSISTENTCONN,
	TAG_SORT,
	TAG_NO_SORT,
	TAG_PE,
	TAG_SCTP_SERVICE,
	TAG_MCAST_GROUP,
	TAG_MCAST_PORT,
	TAG_MCAST_TTL,
	TAG_SYNC_MAXLEN,
	TAG_TUN_INFO,
	TAG_TUN_TYPE,
	TAG_TUN_PORT,
	TAG_TUN_NOCSUM,
	TAG_TUN_CSUM,
	TAG_TUN_REMCSUM,
	TAG_JSON,
	TAG_SYNCID,
};

#define NOARG(l, s, tag)	{ l, s, POPT_ARG_NONE, NULL, tag, NULL, NULL }
#define STRARG(l, s, tag)	{ l, s, POPT_ARG_STRING, &optval, tag, NULL, NULL }

static char *optval;

static struct poptOption popt_table[] = {
	/*
	 * popt searches this table in order for every option: the ones
	 * restore lines use most come first.  Otherwise the order does not
	 * matter, except that --list must find 'L' before 'l'.
	 */
	NOARG("add-server", 'a', 'a'),
	NOARG("add-service", 'A', 'A'),
	STRARG("tcp-service", 't', 't'),
	STRARG("real-server", 'r', 'r'),
	NOARG("masquerading", 'm', 'm'),
	STRARG("weight", 'w', 'w'),
	NOARG("gatewaying", 'g', 'g'),
	NOARG("ipip", 'i', 'i'),
	STRARG("udp-service", 'u', 'u'),
	STRARG("scheduler", 's', 's'),
	{ "persistent", 'p', POPT_ARG_STRING | POPT_ARGFLAG_OPTIONAL,
	  &optval, 'p', NULL, NULL },
	STRARG("fwmark-service", 'f', 'f'),
	NOARG("edit-service", 'E', 'E'),
	NOARG("delete-service", 'D', 'D'),
	NOARG("clear", 'C', 'C'),
	NOARG("list", 'L', 'L'),
	NOARG("list", 'l', 'l'),
	NOARG("zero", 'Z', 'Z'),
	NOARG("edit-server", 'e', 'e'),
	NOARG("delete-server", 'd', 'd'),
	NOARG("set", '\0', TAG_SET),
	NOARG("help", 'h', 'h'),
	NOARG("version", 'v', 'v'),
	NOARG("restore", 'R', 'R'),
	NOARG("save", 'S', 'S'),
	STRARG("start-daemon", '\0', TAG_START_DAEMON),
	STRARG("stop-daemon", '\0', TAG_STOP_DAEMON),
	STRARG("sctp-service", '\0', TAG_SCTP_SERVICE),
	STRARG("netmask", 'M', 'M'),
	STRARG("u-threshold", 'x', 'x'),
	STRARG("l-threshold", 'y', 'y'),
	NOARG("numeric", 'n', 'n'),
	NOARG("connection", 'c', 'c'),
	STRARG("mcast-interface", '\0', TAG_MCAST_INTERFACE),
	STRARG("syncid", '\0', TAG_SYNCID),
	NOARG("timeout", '\0', TAG_TIMEOUT),
	NOARG("daemon", '\0', TAG_DAEMON),
	NOARG("stats", '\0', TAG_STATS),
	NOARG("rate", '\0', TAG_RATE),
	NOARG("thresholds", '\0', TAG_THRESHOLDS),
	NOARG("persistent-conn", '\0', TAG_PERSISTENTCONN),
	NOARG("nosort", '\0', TAG_NO_SORT),
	NOARG("sort", '\0', TAG_SORT),
	NOARG("exact", 'X', 'X'),
	NOARG("ipv6", '6', '6'),
	NOARG("ops", 'o', 'o'),
	STRARG("pe", '\0', TAG_PE),
	STRARG("sched-flags", 'b', 'b'),
	STRARG("mcast-group", '\0', TAG_MCAST_GROUP),
	STRARG("mcast-port", '\0', TAG_MCAST_PORT),
	STRARG("mcast-ttl", '\0', TAG_MCAST_TTL),
	STRARG("sync-maxlen", '\0', TAG_SYNC_MAXLEN),
	NOARG("tun-info", '\0', TAG_TUN_INFO),
	STRARG("tun-type", '\0', TAG_TUN_TYPE),
	STRARG("tun-port", '\0', TAG_TUN_PORT),
	NOARG("tun-nocsum", '\0', TAG_TUN_NOCSUM),
	NOARG("tun-csum", '\0', TAG_TUN_CSUM),
	NOARG("tun-remcsum", '\0', TAG_TUN_REMCSUM),
	NOARG("json", '\0', TAG_JSON),
	POPT_TABLEEND
};

/* The first option must be a command. */
static const struct {
	int tag;
	enum vs_cmd cmd;
} cmd_tags[] = {
	{ 'A', CMD_ADD }, { 'E', CMD_EDIT }, { 'D', CMD_DEL },
	{ 'a', CMD_ADDDEST }, { 'e', CMD_EDITDEST }, { 'd', CMD_DELDEST },
	{ 'C', CMD_FLUSH }, { 'L', CMD_LIST }, { 'l', CMD_LIST },
	{ 'Z', CMD_ZERO }, { TAG_SET, CMD_TIMEOUT }, { 'R', CMD_RESTORE },
	{ 'S', CMD_SAVE }, { TAG_START_DAEMON, CMD_STARTDAEMON },
	{ TAG_STOP_DAEMON, CMD_STOPDAEMON },
};

/* Options that only set an option bit and a format flag. */
static const struct {
	int tag;
	enum vs_opt opt;
	unsigned int fmt;
} flag_tags[] = {
	{ 'c', OPT_CONNECTION, 0 },
	{ 'n', OPT_NUMERIC, FMT_NUMERIC },
	{ TAG_TIMEOUT, OPT_TIMEOUT, 0 },
	{ TAG_DAEMON, OPT_DAEMON, 0 },
	{ TAG_STATS, OPT_STATS, FMT_STATS },
	{ TAG_RATE, OPT_RATE, FMT_RATE },
	{ TAG_THRESHOLDS, OPT_THRESHOLDS, FMT_THRESHOLDS },
	{ TAG_PERSISTENTCONN, OPT_PERSISTENTCONN, FMT_PERSISTENTCONN },
	{ TAG_NO_SORT, OPT_NOSORT, FMT_NOSORT },
	{ 'X', OPT_EXACT, FMT_EXACT },
	{ TAG_TUN_INFO, OPT_TUN_INFO, FMT_TUN_INFO },
	{ TAG_JSON, OPT_JSON, FMT_JSON },
};

void vs_req_init(struct vs_req *r)
{
	memset(r, 0, sizeof(*r));
	r->dest.weight = 1;
	r->dest.conn_flags = IP_VS_CONN_F_DROUTE;
	r->svc.netmask = 0xffffffff;
}

static void set_option(struct vs_req *r, enum vs_opt o)
{
	if (r->options & OPTBIT(o))
		vs_fail(2, "multiple '%s' options specified", vs_opt_names[o]);
	r->options |= OPTBIT(o);
}

static uint32_t daemon_state(const char *arg, const char *err)
{
	if (!strcmp(arg, "master"))
		return IP_VS_STATE_MASTER;
	if (!strcmp(arg, "backup"))
		return IP_VS_STATE_BACKUP;
	vs_fail(2, "%s", err);
}

static uint16_t tag_protocol(int tag)
{
	return tag == 't' ? IPPROTO_TCP :
	       tag == 'u' ? IPPROTO_UDP : IPPROTO_SCTP;
}

static int number_or_fail(const char *arg, int min, int max, const char *what)
{
	int v = vs_str_to_number(arg, min, max);

	if (v < 0)
		vs_fail(2, "illegal %s specified", what);
	return v;
}

static void parse_mcast_group(struct vs_req *r, const char *arg)
{
	if (strchr(arg, ':')) {
		if (inet_pton(AF_INET6, arg, &r->dm.mcast_group.in6) <= 0 ||
		    !IN6_IS_ADDR_MULTICAST(&r->dm.mcast_group.in6))
			vs_fail(2, "invalid IPv6 mcast-group `%s'", arg);
		r->dm.mcast_af = AF_INET6;
	} else {
		if (inet_pton(AF_INET, arg, &r->dm.mcast_group.in) <= 0 ||
		    !IN_MULTICAST(ntohl(r->dm.mcast_group.ip)))
			vs_fail(2, "invalid IPv4 mcast-group `%s'", arg);
		r->dm.mcast_af = AF_INET;
	}
}

/* One non-command option; returns 0, or -1 for an unknown tag. */
static int handle_option(struct vs_req *r, int c, char *arg, char *sflags,
			 size_t sflags_len)
{
	struct vs_service tmp;
	size_t i;
	int v;

	for (i = 0; i < sizeof(flag_tags) / sizeof(flag_tags[0]); i++) {
		if (flag_tags[i].tag == c) {
			set_option(r, flag_tags[i].opt);
			r->fmt |= flag_tags[i].fmt;
			return 0;
		}
	}

	switch (c) {
	case 't':
	case 'u':
	case TAG_SCTP_SERVICE:
		set_option(r, OPT_SERVICE);
		r->svc.protocol = tag_protocol(c);
		if (!(vs_parse_service(arg, &r->svc) & SVC_ADDR))
			vs_fail(2, "illegal virtual server address[:port] "
				"specified");
		break;
	case 'f':
		set_option(r, OPT_SERVICE);
		r->svc.af = AF_INET;
		r->svc.protocol = IPPROTO_TCP;
		r->svc.fwmark = vs_parse_fwmark(arg);
		break;
	case 's':
		set_option(r, OPT_SCHEDULER);
		strncpy(r->svc.sched, arg, sizeof(r->svc.sched) - 1);
		break;
	case 'p':
		set_option(r, OPT_PERSISTENT);
		r->svc.flags |= IP_VS_SVC_F_PERSISTENT;
		r->svc.timeout = vs_parse_timeout(arg, 1, VS_MAX_TIMEOUT);
		break;
	case 'M':
		set_option(r, OPT_NETMASK);
		if (r->svc.af != AF_INET6) {
			if (vs_parse_netmask(arg, &r->svc.netmask) != 1)
				vs_fail(2, "illegal virtual server persistent "
					"mask specified");
		} else {
			r->svc.netmask = atoi(arg);
			if (r->svc.netmask < 1 || r->svc.netmask > 128)
				vs_fail(2, "illegal ipv6 netmask specified");
		}
		break;
	case 'r':
		set_option(r, OPT_SERVER);
		tmp = r->svc;
		v = vs_parse_service(arg, &tmp);
		r->dest.af = tmp.af;
		r->dest.addr = tmp.addr;
		r->dest.port = tmp.port;
		if (!(v & SVC_ADDR))
			vs_fail(2, "illegal real server address[:port] "
				"specified");
		if (v == SVC_ADDR)
			r->dest.port = r->svc.port;
		break;
	case 'i':
	case 'g':
	case 'm':
		set_option(r, OPT_FORWARD);
		r->dest.conn_flags = c == 'i' ? IP_VS_CONN_F_TUNNEL :
				     c == 'g' ? IP_VS_CONN_F_DROUTE :
						IP_VS_CONN_F_MASQ;
		break;
	case 'w':
		set_option(r, OPT_WEIGHT);
		r->dest.weight = number_or_fail(arg, 0, INT_MAX, "weight");
		break;
	case 'x':
		set_option(r, OPT_UTHRESHOLD);
		r->dest.u_threshold = number_or_fail(arg, 0, INT_MAX,
						     "u_threshold");
		break;
	case 'y':
		set_option(r, OPT_LTHRESHOLD);
		r->dest.l_threshold = number_or_fail(arg, 0, INT_MAX,
						     "l_threshold");
		break;
	case TAG_MCAST_INTERFACE:
		set_option(r, OPT_MCAST_IFN);
		strncpy(r->dm.mcast_ifn, arg, sizeof(r->dm.mcast_ifn) - 1);
		break;
	case TAG_SYNCID:
		set_option(r, OPT_SYNCID);
		r->dm.syncid = number_or_fail(arg, 0, 255, "syncid");
		break;
	case TAG_SORT:
		break;	/* accepted for compatibility, does nothing */
	case '6':
		if (!r->svc.fwmark)
			vs_fail(2, "-6 used before -f\n");
		r->svc.af = AF_INET6;
		r->svc.netmask = 128;
		break;
	case 'o':
		set_option(r, OPT_ONEPACKET);
		r->svc.flags |= IP_VS_SVC_F_ONEPACKET;
		break;
	case TAG_PE:
		set_option(r, OPT_PE);
		strncpy(r->svc.pe, arg, IP_VS_PENAME_MAXLEN);
		break;
	case 'b':
		set_option(r, OPT_SCHED_FLAGS);
		snprintf(sflags, sflags_len, "%s", arg);
		break;
	case TAG_MCAST_GROUP:
		set_option(r, OPT_MCAST_GROUP);
		parse_mcast_group(r, arg);
		break;
	case TAG_MCAST_PORT:
		set_option(r, OPT_MCAST_PORT);
		r->dm.mcast_port = number_or_fail(arg, 1, 65535, "mcast-port");
		break;
	case TAG_MCAST_TTL:
		set_option(r, OPT_MCAST_TTL);
		r->dm.mcast_ttl = number_or_fail(arg, 1, 255, "mcast-ttl");
		break;
	case TAG_SYNC_MAXLEN:
		set_option(r, OPT_SYNC_MAXLEN);
		r->dm.sync_maxlen = number_or_fail(arg, 1, 65535 - 20 - 8,
						   "sync-maxlen");
		break;
	case TAG_TUN_TYPE:
		set_option(r, OPT_TUN_TYPE);
		v = vs_parse_tun_type(arg);
		if (v < 0)
			vs_fail(2, "illegal tunnel type specified");
		r->dest.tun_type = v;
		break;
	case TAG_TUN_PORT:
		set_option(r, OPT_TUN_PORT);
		r->dest.tun_port = htons(number_or_fail(arg, 1, 65535,
							"tunnel port"));
		break;
	case TAG_TUN_NOCSUM:
		set_option(r, OPT_TUN_NOCSUM);
		r->dest.tun_flags |= IP_VS_TUNNEL_ENCAP_FLAG_NOCSUM;
		break;
	case TAG_TUN_CSUM:
		set_option(r, OPT_TUN_CSUM);
		r->dest.tun_flags |= IP_VS_TUNNEL_ENCAP_FLAG_CSUM;
		break;
	case TAG_TUN_REMCSUM:
		set_option(r, OPT_TUN_REMCSUM);
		r->dest.tun_flags |= IP_VS_TUNNEL_ENCAP_FLAG_REMCSUM;
		break;
	default:
		return -1;
	}
	return 0;
}

/*
 * Most command lines, and every line -S writes, are plain: "-X" options
 * from the table, each followed by its value when it takes one. Those are
 * split here in one pass; popt, which allocates a context and walks the
 * table per option, takes every other line, and every error. A line taken
 * here yields the options and values popt would return, in the same order.
 */
#define PLAIN_MAX	32

static int split_plain(int argc, char **argv, int *tags, char **vals)
{
	int n = 0;

	for (int k = 1; k < argc; k++) {
		const struct poptOption *o;
		const char *t = argv[k];

		if (t[0] != '-' || !t[1] || t[1] == '-' || t[2] || n == PLAIN_MAX)
			return -1;
		for (o = popt_table; o->longName || o->shortName; o++)
			if (o->shortName == t[1])
				break;
		if (!o->shortName || (o->argInfo & POPT_ARGFLAG_OPTIONAL))
			return -1;
		vals[n] = NULL;
		if (o->argInfo != POPT_ARG_NONE) {
			/* popt expands "!#:+" in values: leave those to it. */
			if (++k == argc || argv[k][0] == '-' || strchr(argv[k], '!'))
				return -1;
			vals[n] = argv[k];
		}
		tags[n++] = o->val;
	}
	return n;
}

static int cmd_of_tag(int tag)
{
	for (size_t i = 0; i < sizeof(cmd_tags) / sizeof(cmd_tags[0]); i++)
		if (cmd_tags[i].tag == tag)
			return (int)cmd_tags[i].cmd;
	return -1;
}

static void apply_sched_flags(struct vs_req *r, char *sflags)
{
	if (!sflags[0])
		return;
	r->svc.flags &= ~(IP_VS_SVC_F_SCHED1 | IP_VS_SVC_F_SCHED2 | IP_VS_SVC_F_SCHED3);
	r->svc.flags |= vs_parse_sched_flags(r->svc.sched, sflags);
}

/* 0 if the line was plain and is parsed into @r, -1 to let popt do it. */
static int parse_plain(int argc, char **argv, struct vs_req *r)
{
	char *vals[PLAIN_MAX], sflags[128] = "";
	int tags[PLAIN_MAX], n, cmd;

	/* -h and -v are not commands: popt's path answers them. */
	n = split_plain(argc, argv, tags, vals);
	cmd = n < 1 ? -1 : cmd_of_tag(tags[0]);
	if (cmd < 0)
		return -1;
	vs_req_init(r);
	r->cmd = (enum vs_cmd)cmd;
	for (int k = 1; k < n; k++)
		if (handle_option(r, tags[k], vals[k], sflags, sizeof(sflags)) < 0)
			return -1;	/* popt names the option in its message */
	apply_sched_flags(r, sflags);
	return 0;
}

int vs_parse_args(int argc, char **argv, struct vs_req *r, int reading_stdin)
{
	(void)reading_stdin;
	if (!parse_plain(argc, argv, r))
		return 0;
	return vs_parse_popt(argc, argv, r);
}

int vs_parse_popt(int argc, char **argv, struct vs_req *r)
{
	char sflags[128] = "";
	poptContext ctx;
	const char *arg;
	size_t i;
	int c;

	vs_req_init(r);
	optval = NULL;
	ctx = poptGetContext("ipvsadm", argc, (const char **)argv,
			     popt_table, 0);

	c = poptGetNextOpt(ctx);
	if (c < 0)
		vs_tryhelp_exit(-1);
	if (c == 'h')
		vs_usage_exit(0);
	if (c == 'v')
		vs_version_exit(0);
	for (i = 0; i < sizeof(cmd_tags) / sizeof(cmd_tags[0]); i++)
		if (cmd_tags[i].tag == c)
			break;
	if (i == sizeof(cmd_tags) / sizeof(cmd_tags[0]))
		vs_tryhelp_exit(-1);
	r->cmd = cmd_tags[i].cmd;
	if (r->cmd == CMD_STARTDAEMON)
		r->dm.state = daemon_state(optval,
			"illegal start-daemon parameter specified");
	else if (r->cmd == CMD_STOPDAEMON)
		r->dm.state = daemon_state(optval,
			"illegal start_daemon specified");

	while ((c = poptGetNextOpt(ctx)) >= 0) {
		if (handle_option(r, c, optval, sflags, sizeof(sflags)) < 0)
			vs_fail(2, "invalid option `%s'",
				poptBadOption(ctx, POPT_BADOPTION_NOALIAS));
	}
	if (c < -1) {
		vs_err_start();
		fprintf(stderr, "%s: %s\n",
			poptBadOption(ctx, POPT_BADOPTION_NOALIAS),
			poptStrerror(c));
		poptFreeContext(ctx);
		return -1;
	}

	if (r->cmd == CMD_TIMEOUT) {
		const char *a0 = poptGetArg(ctx);
		const char *a1 = a0 ? poptGetArg(ctx) : NULL;
		const char *a2 = a1 ? poptGetArg(ctx) : NULL;

		if (!a2)
			vs_fail(2, "--set option requires 3 timeout values");
		r->to.tcp = vs_parse_timeout(a0, 0, VS_MAX_TIMEOUT);
		r->to.tcp_fin = vs_parse_timeout(a1, 0, VS_MAX_TIMEOUT);
		r->to.udp = vs_parse_timeout(a2, 0, VS_MAX_TIMEOUT);
	}
	arg = poptGetArg(ctx);
	if (arg)
		vs_fail(2, "unexpected argument %s", arg);

	apply_sched_flags(r, sflags);
	poptFreeContext(ctx);
	return 0;
}

/* Checks that need the whole command line, in ipvsadm's order. */
void vs_check_semantics(struct vs_req *r)
{
	unsigned int fwd;

	vs_check_legal(r->cmd, r->options);

	if (r->cmd == CMD_ADD || r->cmd == CMD_EDIT) {
		if (!r->svc.fwmark && !r->svc.port &&
		    !(r->svc.flags & IP_VS_SVC_F_PERSISTENT))
			vs_fail(2, "Zero port specified for non-persistent "
				"service");
		if ((r->svc.flags & IP_VS_SVC_F_ONEPACKET) &&
		    !r->svc.fwmark && r->svc.protocol != IPPROTO_UDP)
			vs_fail(2, "One-Packet Scheduling is only for UDP "
				"virtual services");
		if (!r->svc.sched[0])
			strcpy(r->svc.sched, VS_DEF_SCHED);
	}

	if (r->cmd == CMD_STARTDAEMON && !r->dm.mcast_ifn[0])
		strcpy(r->dm.mcast_ifn, VS_DEF_MCAST_IFN);

	fwd = r->dest.conn_flags & IP_VS_CONN_F_FWD_MASK;
	if (r->cmd == CMD_ADDDEST || r->cmd == CMD_EDITDEST) {
		/* Direct routing and tunnels keep the service's port. */
		if (!r->svc.fwmark && (fwd == IP_VS_CONN_F_TUNNEL ||
				       fwd == IP_VS_CONN_F_DROUTE))
			r->dest.port = r->svc.port;
		if (r->dest.af != r->svc.af && fwd != IP_VS_CONN_F_TUNNEL)
			vs_fail(2, "Different address family is allowed only "
				"for tunneling servers");
		if ((r->options & (OPTBIT(OPT_TUN_TYPE) | OPTBIT(OPT_TUN_PORT) |
				   OPTBIT(OPT_TUN_NOCSUM) |
				   OPTBIT(OPT_TUN_CSUM) |
				   OPTBIT(OPT_TUN_REMCSUM))) &&
		    fwd != IP_VS_CONN_F_TUNNEL)
			vs_fail(2, "Tunnel options conflict with forward "
				"method");
		vs_check_tunnel(r->dest.tun_type, r->options);
	}

	if (r->cmd == CMD_LIST) {
		uint64_t o = r->options;
		uint64_t special = OPTBIT(OPT_CONNECTION) |
				   OPTBIT(OPT_TIMEOUT) | OPTBIT(OPT_DAEMON);
		uint64_t fmts = OPTBIT(OPT_STATS) | OPTBIT(OPT_RATE) |
				OPTBIT(OPT_THRESHOLDS);

		if (((o & special) && (o & fmts)) ||
		    ((o & (OPTBIT(OPT_TIMEOUT) | OPTBIT(OPT_DAEMON))) &&
		     (o & OPTBIT(OPT_PERSISTENTCONN))))
			vs_fail(2, "options conflicts in the list command");
	}
}
