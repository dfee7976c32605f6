// SPDX-License-Identifier: GPL-2.0
/*
 * test-units: formatting and parsing helpers of ipvsadm with known
 * answers: number scaling (--stats / --exact), restore line splitting,
 * /proc/net/ip_vs_conn lines (-c), the sort order (including ipvsadm's
 * wrap-around comparison), host:port parsing, constructed netlink
 * replies with large counters, and requests built by msg.c against the
 * same requests built with libnl.
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <netlink/netlink.h>
#include <netlink/msg.h>
#include <netlink/attr.h>
#include <netlink/genl/genl.h>

#include "ipvsadm.h"

static int failures;

static void check(int cond, const char *name, const char *got,
		  const char *want)
{
	if (cond) {
		printf("ok - %s\n", name);
		return;
	}
	failures++;
	printf("not ok - %s\n#   got:  [%s]\n#   want: [%s]\n", name,
	       got ? got : "", want ? want : "");
}

static char *capture_begin(FILE **f, char **buf, size_t *len)
{
	*buf = NULL;
	*f = open_memstream(buf, len);
	return NULL;
}

static void largenum(unsigned long long v, unsigned int fmt, const char *want)
{
	FILE *f;
	char *buf, name[128];
	size_t len;

	capture_begin(&f, &buf, &len);
	vs_print_largenum(f, v, fmt);
	fclose(f);
	snprintf(name, sizeof(name), "largenum %llu%s", v,
		 fmt & FMT_EXACT ? " exact" : "");
	check(!strcmp(buf, want), name, buf, want);
	free(buf);
}

static void read_line_case(const char *input, const char *want)
{
	FILE *in = fmemopen((void *)input, strlen(input), "r");
	char out[1024] = "", name[256], **argv;
	int argc;

	while ((argv = vs_read_line(in, &argc)) != NULL) {
		strcat(out, "[");
		for (int i = 1; i < argc; i++) {
			strcat(out, argv[i]);
			if (i + 1 < argc)
				strcat(out, "|");
		}
		strcat(out, "]");
		vs_free_argv(argv);
	}
	fclose(in);
	snprintf(name, sizeof(name), "restore line splitting of \"%s\"", input);
	for (char *p = name; *p; p++)
		if (*p == '\n' || *p == '\t' || *p == '\r')
			*p = '~';
	check(!strcmp(out, want), name, out, want);
}

static void conn_case(const char *line, unsigned int fmt, const char *want)
{
	struct vs_conn c;
	FILE *f;
	char *buf, name[300];
	size_t len;

	vs_conn_parse_line(line, &c);
	capture_begin(&f, &buf, &len);
	vs_print_conn(f, &c, fmt);
	fclose(f);
	snprintf(name, sizeof(name), "connection line%s: %.60s",
		 fmt & FMT_PERSISTENTCONN ? " (persistent-conn)" : "", line);
	name[strcspn(name, "\n")] = '\0';
	check(!strcmp(buf, want), name, buf, want);
	free(buf);
}

static void service_parse(const char *arg, uint16_t proto, int want_ret,
			  const char *want)
{
	struct vs_service s;
	char buf[256], got[300], name[300], a[INET6_ADDRSTRLEN];
	int ret;

	memset(&s, 0, sizeof(s));
	s.protocol = proto;
	snprintf(buf, sizeof(buf), "%s", arg);
	ret = vs_parse_service(buf, &s);
	snprintf(got, sizeof(got), "%d %s %u", ret,
		 ret ? inet_ntop(s.af, &s.addr, a, sizeof(a)) : "-",
		 ntohs(s.port));
	snprintf(name, sizeof(name), "host:port parsing of \"%s\"", arg);
	(void)want_ret;
	check(!strcmp(got, want), name, got, want);
}

/* A constructed GET_DEST reply with 64-bit counters. */
static void big_counters(void)
{
	struct nl_msg *msg = nlmsg_alloc();
	struct nlattr *d, *st;
	struct vs_dest dest;
	struct vs_svc_entry e;
	uint32_t addr = htonl(0x0a000001);
	FILE *f;
	char *buf;
	size_t len;
	const char *want =
		"TCP  10.0.0.1:80                     5000M  123456K       12"
		"        0        0\n"
		"  -> 10.0.0.1:80                   705032K        0        0"
		"        0        0\n";

	genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, 30, 0, 0,
		    IPVS_CMD_NEW_DEST, IPVS_GENL_VERSION);
	d = nla_nest_start(msg, IPVS_CMD_ATTR_DEST);
	nla_put(msg, IPVS_DEST_ATTR_ADDR, 4, &addr);
	nla_put_u16(msg, IPVS_DEST_ATTR_PORT, htons(80));
	nla_put_u32(msg, IPVS_DEST_ATTR_FWD_METHOD, IP_VS_CONN_F_MASQ);
	nla_put_u32(msg, IPVS_DEST_ATTR_WEIGHT, 1);
	nla_put_u32(msg, IPVS_DEST_ATTR_U_THRESH, 0);
	nla_put_u32(msg, IPVS_DEST_ATTR_L_THRESH, 0);
	nla_put_u32(msg, IPVS_DEST_ATTR_ACTIVE_CONNS, 1);
	nla_put_u32(msg, IPVS_DEST_ATTR_INACT_CONNS, 2);
	nla_put_u32(msg, IPVS_DEST_ATTR_PERSIST_CONNS, 3);
	st = nla_nest_start(msg, IPVS_DEST_ATTR_STATS64);
	for (int i = IPVS_STATS_ATTR_CONNS; i <= IPVS_STATS_ATTR_OUTBPS; i++)
		nla_put_u64(msg, i, i == IPVS_STATS_ATTR_CONNS ?
			    5000000000ULL : 0);
	nla_nest_end(msg, st);
	nla_nest_end(msg, d);

	memset(&e, 0, sizeof(e));
	e.svc.af = AF_INET;
	e.svc.protocol = IPPROTO_TCP;
	e.svc.addr.ip = addr;
	e.svc.port = htons(80);
	strcpy(e.svc.sched, "wlc");
	e.svc.stats.conns = 5000000000ULL;
	e.svc.stats.inpkts = 123456789ULL;
	e.svc.stats.outpkts = 12;
	if (vs_parse_dest_msg(nlmsg_hdr(msg), AF_INET, &dest) < 0) {
		check(0, "constructed 64-bit dest counters parse", "fail", "");
		return;
	}
	check(dest.stats.conns == 5000000000ULL && dest.af == AF_INET &&
	      dest.persistconns == 3, "constructed 64-bit dest counters parse",
	      NULL, NULL);
	vs_dest_add_to(&e, &dest);
	f = open_memstream(&buf, &len);
	vs_print_service(f, &e, FMT_NUMERIC | FMT_STATS);
	fclose(f);
	/* Upstream reads dest STATS64 with 32-bit getters: 5e9 mod 2^32. */
	check(!strcmp(buf, want), "--stats scaling, 32-bit dest counters as "
	      "upstream", buf, want);
	free(buf);
	free(e.dests);
	nlmsg_free(msg);
}

/* msg.c builds the bytes libnl would: service (full) and destination. */
static void builder_matches_libnl(void)
{
	struct ip_vs_flags fl = { .flags = IP_VS_SVC_F_PERSISTENT, .mask = ~0U };
	struct nl_msg *msg = nlmsg_alloc();
	struct nlattr *n;
	struct vs_service svc;
	struct vs_dest d;
	struct vs_msg m;
	char big[VS_MSG_BYTES];
	size_t len;

	memset(&svc, 0, sizeof(svc));
	svc.af = AF_INET;
	svc.protocol = IPPROTO_TCP;
	svc.addr.ip = htonl(0x0a000001);
	svc.port = htons(80);
	strcpy(svc.sched, "wrr");
	strcpy(svc.pe, "sip");
	svc.flags = fl.flags;
	svc.timeout = 300;
	svc.netmask = ~0U;
	memset(&d, 0, sizeof(d));
	d.af = AF_INET;
	d.addr.ip = htonl(0xac100001);
	d.port = htons(8080);
	d.conn_flags = IP_VS_CONN_F_TUNNEL;
	d.weight = 3;
	d.tun_type = IP_VS_CONN_F_TUNNEL_TYPE_GUE;
	d.tun_port = htons(6080);
	d.tun_flags = 1;
	d.u_threshold = 10;
	d.l_threshold = 5;

	vs_msg_init(&m, 30, IPVS_CMD_NEW_DEST, 0);
	vs_nl_put_service(&m, &svc, 1);
	vs_nl_put_dest(&m, &d);
	m.u.nlh.nlmsg_len = (uint32_t)m.len;

	genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, 30, 0, 0,
		    IPVS_CMD_NEW_DEST, IPVS_GENL_VERSION);
	n = nla_nest_start(msg, IPVS_CMD_ATTR_SERVICE);
	nla_put_u16(msg, IPVS_SVC_ATTR_AF, AF_INET);
	nla_put_u16(msg, IPVS_SVC_ATTR_PROTOCOL, IPPROTO_TCP);
	nla_put(msg, IPVS_SVC_ATTR_ADDR, sizeof(svc.addr), &svc.addr);
	nla_put_u16(msg, IPVS_SVC_ATTR_PORT, htons(80));
	nla_put_string(msg, IPVS_SVC_ATTR_SCHED_NAME, "wrr");
	nla_put_string(msg, IPVS_SVC_ATTR_PE_NAME, "sip");
	nla_put(msg, IPVS_SVC_ATTR_FLAGS, sizeof(fl), &fl);
	nla_put_u32(msg, IPVS_SVC_ATTR_TIMEOUT, 300);
	nla_put_u32(msg, IPVS_SVC_ATTR_NETMASK, ~0U);
	nla_nest_end(msg, n);
	n = nla_nest_start(msg, IPVS_CMD_ATTR_DEST);
	nla_put_u16(msg, IPVS_DEST_ATTR_ADDR_FAMILY, AF_INET);
	nla_put(msg, IPVS_DEST_ATTR_ADDR, sizeof(d.addr), &d.addr);
	nla_put_u16(msg, IPVS_DEST_ATTR_PORT, htons(8080));
	nla_put_u32(msg, IPVS_DEST_ATTR_FWD_METHOD, IP_VS_CONN_F_TUNNEL);
	nla_put_u32(msg, IPVS_DEST_ATTR_WEIGHT, 3);
	nla_put_u8(msg, IPVS_DEST_ATTR_TUN_TYPE, IP_VS_CONN_F_TUNNEL_TYPE_GUE);
	nla_put_u16(msg, IPVS_DEST_ATTR_TUN_PORT, htons(6080));
	nla_put_u16(msg, IPVS_DEST_ATTR_TUN_FLAGS, 1);
	nla_put_u32(msg, IPVS_DEST_ATTR_U_THRESH, 10);
	nla_put_u32(msg, IPVS_DEST_ATTR_L_THRESH, 5);
	nla_nest_end(msg, n);

	check(!m.bad && m.len == nlmsg_hdr(msg)->nlmsg_len &&
	      !memcmp(m.u.buf, nlmsg_hdr(msg), m.len),
	      "request builder: same bytes as libnl (service + dest)",
	      NULL, NULL);
	nlmsg_free(msg);

	/* Too long for the buffer: marked bad, nothing written past it. */
	len = m.len;
	memset(big, 'x', sizeof(big));
	vs_msg_put(&m, IPVS_DEST_ATTR_ADDR, big, sizeof(big) - len);
	check(m.bad && m.len == len, "request builder: an attribute that "
	      "does not fit marks the request bad", NULL, NULL);
}

static void sort_wrap(void)
{
	struct vs_svc_entry a, b;

	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	a.svc.af = b.svc.af = AF_INET;
	a.svc.protocol = b.svc.protocol = IPPROTO_TCP;
	a.svc.addr.ip = htonl(0x0a000001);	/* 10.0.0.1 */
	b.svc.addr.ip = htonl(0xc8000001);	/* 200.0.0.1 */
	/* 0x0a000001 - 0xc8000001 wraps to a positive int in ipvsadm. */
	check(vs_svc_cmp(&a, &b) > 0, "service order wraps like upstream "
	      "(10.0.0.1 after 200.0.0.1)", NULL, NULL);
	b.svc.addr.ip = htonl(0x0b000001);
	check(vs_svc_cmp(&a, &b) < 0, "service order by address",
	      NULL, NULL);
	b.svc.addr.ip = a.svc.addr.ip;
	b.svc.fwmark = 1;
	check(vs_svc_cmp(&a, &b) < 0, "fwmark services sort after address "
	      "services", NULL, NULL);
}

int main(void)
{
	vs_progname = "ipvsadm";

	largenum(0, 0, "        0");
	largenum(99999999, 0, " 99999999");
	largenum(100000000, 0, "  100000K");
	largenum(999999999, 0, "  999999K");
	largenum(1000000000, 0, "    1000M");
	largenum(99999999999ULL, 0, "   99999M");
	largenum(100000000000ULL, 0, "     100G");
	largenum(99999999999999ULL, 0, "   99999G");
	largenum(100000000000000ULL, 0, "     100T");
	largenum(18446744073709551615ULL, 0, "18446744T");
	largenum(5, FMT_EXACT, "        5");
	largenum(123456789, FMT_EXACT, " 123456789");
	largenum(18446744073709551615ULL, FMT_EXACT, " 18446744073709551615");

	read_line_case("-A -t 1.2.3.4:80\n", "[-A|-t|1.2.3.4:80]");
	read_line_case("\n  \n-C", "[][][-C]");
	read_line_case("ipvsadm -A\tipvsadm -t x\r\n", "[-A|-t|x]");
	read_line_case("# c\n-C  \n", "[#|c][-C]");
	read_line_case("-C  ", "");
	read_line_case("-C ", "[-C]");
	read_line_case("ipvsadm", "");

	conn_case("TCP 0A000001 0050 0A000002 0050 0A000003 1F90 ESTABLISHED 899\n",
		  FMT_NUMERIC,
		  "TCP 14:59  ESTABLISHED 10.0.0.1:80        10.0.0.2:80        10.0.0.3:8080\n");
	conn_case("UDP 10.0.0.1 8000 10.0.0.2 0035 10.0.0.3 0035 UDP 5\n",
		  FMT_NUMERIC,
		  "UDP 00:05  UDP         10.0.0.1:32768     10.0.0.2:53        10.0.0.3:53\n");
	conn_case("TCP 2001:0db8:0000:0000:0000:0000:0000:0001 1000 "
		  "2001:0db8:0000:0000:0000:0000:0000:0002 0050 "
		  "10.0.0.3 0050 SYN_RECV 60\n", FMT_NUMERIC,
		  "TCP 01:00  SYN_RECV    [2001:db8::1]:4096 [2001:db8::2]:80   10.0.0.3:80\n");
	conn_case("UDP 0A000001 13C4 0A000002 13C4 0A000003 13C4 UDP 300 sip "
		  "abc@example\n", FMT_NUMERIC | FMT_PERSISTENTCONN,
		  "UDP 05:00  UDP         10.0.0.1:5060      10.0.0.2:5060      "
		  "10.0.0.3:5060    sip                abc@example\n");

	service_parse("10.1.2.3:80", IPPROTO_TCP, 3, "3 10.1.2.3 80");
	service_parse("10.1.2.3", IPPROTO_TCP, 1, "1 10.1.2.3 0");
	service_parse("10.1.2.3:http", IPPROTO_TCP, 3, "3 10.1.2.3 80");
	service_parse("10.1.2.3:domain", IPPROTO_UDP, 3, "3 10.1.2.3 53");
	service_parse("10.1.2.3:http", 0, 0, "0 - 0");
	service_parse("[2001:db8::1]:443", IPPROTO_TCP, 3, "3 2001:db8::1 443");
	service_parse("2001:db8::1", IPPROTO_TCP, 1, "1 2001:db8::1 0");
	service_parse("[1.2.3.4]:80", IPPROTO_TCP, 1, "1 1.2.3.4 0");
	service_parse("[2001:db8::1]80", IPPROTO_TCP, 0, "0 - 0");
	service_parse("80", IPPROTO_TCP, 0, "0 - 0");
	service_parse("10.1.2.3:65536", IPPROTO_TCP, 0, "0 - 0");
	service_parse("localhost:22", IPPROTO_TCP, 3, "3 127.0.0.1 22");
	/* inet_aton() forms the dotted-quad fast path leaves to libc */
	service_parse("010.1.2.3:80", IPPROTO_TCP, 3, "3 8.1.2.3 80");
	service_parse("10.1:80", IPPROTO_TCP, 3, "3 10.0.0.1 80");
	service_parse("0x0a.1.2.3:80", IPPROTO_TCP, 3, "3 10.1.2.3 80");
	service_parse("1.2.3.256:80", IPPROTO_TCP, 0, "0 - 0");
	service_parse("1.2.3.4.5:80", IPPROTO_TCP, 0, "0 - 0");
	service_parse("255.255.255.255:65535", IPPROTO_TCP, 3,
		      "3 255.255.255.255 65535");
	service_parse("0.0.0.0:0", IPPROTO_TCP, 3, "3 0.0.0.0 0");
	/* ports through strtol() when not plain digits */
	service_parse("1.2.3.4:080", IPPROTO_TCP, 3, "3 1.2.3.4 80");
	service_parse("1.2.3.4:+80", IPPROTO_TCP, 3, "3 1.2.3.4 80");
	service_parse("1.2.3.4:0000000000080", IPPROTO_TCP, 3, "3 1.2.3.4 80");
	service_parse("1.2.3.4:", IPPROTO_TCP, 0, "0 - 0");
	service_parse("::1", IPPROTO_TCP, 1, "1 ::1 0");
	service_parse("[::]:80", IPPROTO_TCP, 3, "3 :: 80");

	sort_wrap();
	big_counters();
	builder_matches_libnl();
	return failures ? 1 : 0;
}
