// SPDX-License-Identifier: GPL-2.0
/*
 * Parsing of option values: numbers, host[:port] (names, service names,
 * [IPv6]:port), netmasks, timeouts, fwmarks, scheduler flags, tunnel types.
 *
 * The accepted syntax, including its corner cases (e.g. an all-digit host
 * is rejected, "[1.2.3.4]:80" yields no port, ports fall back to
 * /etc/services names of the service's protocol), is that of ipvsadm 1.31.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <netdb.h>
#include <stdlib.h>
#include <string.h>

#include "ipvsadm.h"

/*
 * Plain decimal digits, at most nine (no sign, blank or overflow to worry
 * about): what almost every number in a restore file is.  Returns -1 for
 * anything else, which then goes through the libc parser.
 */
static long plain_decimal(const char *s)
{
	long v = 0;
	int n = 0;

	for (; *s >= '0' && *s <= '9' && n < 10; s++, n++)
		v = v * 10 + (*s - '0');
	return (*s || !n || n > 9) ? -1 : v;
}

int vs_str_to_number(const char *s, int min, int max)
{
	char *end;
	long v = plain_decimal(s);

	if (v >= 0)
		return v < min || v > max ? -1 : (int)v;
	errno = 0;
	v = strtol(s, &end, 10);
	if (end == s || *end != '\0' || errno == ERANGE)
		return -1;
	if (v < min || v > max)
		return -1;
	return (int)v;
}

static int all_digits(const char *s)
{
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return 0;
	return 1;
}

/*
 * The strict dotted quad "a.b.c.d" (decimal, 0-255, no leading zeros),
 * which inet_aton() reads the same way but far more slowly; anything else
 * (octal, hex, fewer parts) is left to inet_aton().
 */
static int plain_quad(const char *s, struct in_addr *addr)
{
	uint32_t a = 0;

	for (int part = 0; part < 4; part++) {
		unsigned int v = 0;
		const char *start = s;

		while (*s >= '0' && *s <= '9' && s - start < 3)
			v = v * 10 + (unsigned int)(*s++ - '0');
		if (s == start || v > 255 || (*start == '0' && s - start > 1))
			return 0;
		if (*s != (part < 3 ? '.' : '\0'))
			return 0;
		s++;
		a = a << 8 | v;
	}
	addr->s_addr = htonl(a);
	return 1;
}

static int ipv4_aton(const char *s, struct in_addr *addr)
{
	return plain_quad(s, addr) || inet_aton(s, addr);
}

/* An IPv6 address has at least two colons ("::"). */
static int may_be_ipv6(const char *s)
{
	const char *c = strchr(s, ':');

	return c && strchr(c + 1, ':');
}

int vs_host_to_addr(const char *name, struct in_addr *addr)
{
	struct hostent *h = gethostbyname(name);

	if (!h || h->h_addrtype != AF_INET ||
	    h->h_length != (int)sizeof(struct in_addr))
		return -1;
	memcpy(addr, h->h_addr_list[0], sizeof(*addr));
	return 0;
}

int vs_service_to_port(const char *name, uint16_t proto)
{
	const char *pname;
	struct servent *se;

	switch (proto) {
	case IPPROTO_TCP:
		pname = "tcp";
		break;
	case IPPROTO_UDP:
		pname = "udp";
		break;
	case IPPROTO_SCTP:
		pname = "sctp";
		break;
	default:
		return -1;
	}
	se = getservbyname(name, pname);
	return se ? ntohs((uint16_t)se->s_port) : -1;
}

/*
 * host[:port] or [ipv6]:port into svc (address family, address, port).
 * Returns SVC_ADDR|SVC_PORT bits for what was set, 0 on error.
 */
int vs_parse_service(char *buf, struct vs_service *svc)
{
	struct in6_addr a6;
	struct in_addr a4;
	char *colon = NULL;
	int ret;
	long port;

	if (!buf || all_digits(buf))
		return 0;

	if (*buf == '[') {
		char *close;

		buf++;
		close = strchr(buf, ']');
		if (!close || close[1] != ':')
			return 0;
		*close = '\0';
		colon = close + 1;
		*colon = '\0';
	}

	if (may_be_ipv6(buf) && inet_pton(AF_INET6, buf, &a6) > 0) {
		svc->af = AF_INET6;
		svc->addr.in6 = a6;
		svc->netmask = 128;
	} else {
		/* The port separator is the last colon of an IPv4/name form;
		 * a bracketed non-IPv6 address therefore carries no port. */
		colon = strrchr(buf, ':');
		if (colon)
			*colon = '\0';
		if (!ipv4_aton(buf, &a4) && vs_host_to_addr(buf, &a4) < 0)
			return 0;
		svc->af = AF_INET;
		memset(&svc->addr, 0, sizeof(svc->addr));
		svc->addr.in = a4;
	}
	ret = SVC_ADDR;

	if (colon) {
		ret |= SVC_PORT;
		port = vs_str_to_number(colon + 1, 0, 65535);
		if (port < 0)
			port = vs_service_to_port(colon + 1, svc->protocol);
		if (port < 0)
			return 0;
		svc->port = htons((uint16_t)port);
	}
	return ret;
}

int vs_parse_netmask(const char *buf, uint32_t *mask)
{
	struct in_addr a;

	if (!buf)
		return 0;
	if (!ipv4_aton(buf, &a) && vs_host_to_addr(buf, &a) < 0)
		return 0;
	*mask = a.s_addr;
	return 1;
}

int vs_parse_timeout(const char *buf, int min, int max)
{
	int v;

	if (!buf)
		return VS_PERSISTENT_TIMEOUT;
	v = vs_str_to_number(buf, min, max);
	if (v < 0)
		vs_fail(2, "invalid timeout value `%s' specified", buf);
	return v;
}

uint32_t vs_parse_fwmark(const char *buf)
{
	unsigned long v;
	char *end;

	errno = 0;
	v = strtol(buf, &end, 10);
	if (end == buf || *end != '\0' || errno == ERANGE ||
	    (long)v <= 0 || v > UINT_MAX)
		vs_fail(2, "invalid fwmark value `%s' specified", buf);
	return (uint32_t)v;
}

static const struct {
	const char *name;
	uint32_t flag;
	const char *sched;	/* only valid with this scheduler, or NULL */
} sched_flag_table[] = {
	{ "flag-1",      IP_VS_SVC_F_SCHED1, NULL },
	{ "flag-2",      IP_VS_SVC_F_SCHED2, NULL },
	{ "flag-3",      IP_VS_SVC_F_SCHED3, NULL },
	{ "sh-fallback", IP_VS_SVC_F_SCHED_SH_FALLBACK, "sh" },
	{ "sh-port",     IP_VS_SVC_F_SCHED_SH_PORT, "sh" },
	{ "mh-fallback", IP_VS_SVC_F_SCHED_MH_FALLBACK, "mh" },
	{ "mh-port",     IP_VS_SVC_F_SCHED_MH_PORT, "mh" },
};

uint32_t vs_parse_sched_flags(const char *sched, char *arg)
{
	uint32_t flags = 0;
	char *tok, *save = NULL;
	size_t i, n = sizeof(sched_flag_table) / sizeof(sched_flag_table[0]);

	if (!sched || !*sched)
		sched = VS_DEF_SCHED;
	/* Like strtok: an argument made only of commas names no flag and
	 * is reported as the flag "(null)". */
	tok = strtok_r(arg, ",", &save);
	do {
		if (!tok)
			vs_fail(2, "invalid scheduler flag `%s'", "(null)");
		for (i = 0; i < n; i++)
			if (!strcmp(tok, sched_flag_table[i].name))
				break;
		if (i == n)
			vs_fail(2, "invalid scheduler flag `%s'", tok);
		flags |= sched_flag_table[i].flag;
		if (sched_flag_table[i].sched &&
		    strcmp(sched, sched_flag_table[i].sched))
			vs_fail(2, "incompatible scheduler flag `%s'", tok);
	} while ((tok = strtok_r(NULL, ",", &save)) != NULL);
	return flags;
}

static const char *const tun_type_names[IP_VS_CONN_F_TUNNEL_TYPE_MAX] = {
	[IP_VS_CONN_F_TUNNEL_TYPE_IPIP] = "ipip",
	[IP_VS_CONN_F_TUNNEL_TYPE_GUE] = "gue",
	[IP_VS_CONN_F_TUNNEL_TYPE_GRE] = "gre",
};

int vs_parse_tun_type(const char *name)
{
	for (int i = 0; i < IP_VS_CONN_F_TUNNEL_TYPE_MAX; i++)
		if (!strcmp(name, tun_type_names[i]))
			return i;
	return -1;
}
