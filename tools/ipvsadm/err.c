// SPDX-License-Identifier: GPL-2.0
/*
 * Diagnostics: fatal errors, kernel error strings, usage and version text.
 * All texts are byte-for-byte those of ipvsadm 1.31.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ipvsadm.h"

const char *vs_progname = "ipvsadm";
void (*vs_before_exit)(void);
long vs_err_line;	/* while restoring: errors start "line N: " */

void vs_err_start(void)
{
	if (vs_err_line)
		fprintf(stderr, "line %ld: ", vs_err_line);
}

void vs_exit(int status)
{
	void (*hook)(void) = vs_before_exit;

	vs_before_exit = NULL;
	if (hook)
		hook();
	exit(status);
}

void vs_fail(int status, const char *fmt, ...)
{
	va_list ap;

	if (vs_before_exit) {
		void (*hook)(void) = vs_before_exit;

		vs_before_exit = NULL;
		hook();
	}
	vs_err_start();
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(status);
}

/* Messages that depend on the operation; err == 0 ends the table. */
static const struct {
	enum vs_op op;		/* OP_NONE: any operation */
	int err;
	const char *msg;
} err_table[] = {
	{ OP_ADD_SERVICE,  EEXIST, "Service already exists" },
	{ OP_ADD_SERVICE,  ENOENT, "Scheduler or persistence engine not found" },
	{ OP_EDIT_SERVICE, ESRCH,  "No such service" },
	{ OP_EDIT_SERVICE, ENOENT, "Scheduler or persistence engine not found" },
	{ OP_DEL_SERVICE,  ESRCH,  "No such service" },
	{ OP_ZERO,         ESRCH,  "No such service" },
	{ OP_ADD_DEST,     ESRCH,  "Service not defined" },
	{ OP_ADD_DEST,     EEXIST, "Destination already exists" },
	{ OP_EDIT_DEST,    ESRCH,  "Service not defined" },
	{ OP_EDIT_DEST,    ENOENT, "No such destination" },
	{ OP_DEL_DEST,     ESRCH,  "Service not defined" },
	{ OP_DEL_DEST,     ENOENT, "No such destination" },
	{ OP_START_DAEMON, EEXIST, "Daemon has already run" },
	{ OP_STOP_DAEMON,  ESRCH,  "No daemon is running" },
	{ OP_GET_SERVICES, ESRCH,  "No such service" },
	{ OP_GET_DESTS,    ESRCH,  "No such service" },
	{ OP_GET_SERVICE,  ESRCH,  "No such service" },
	{ OP_NONE, EPERM,  "Permission denied (you must be root)" },
	{ OP_NONE, EINVAL, "Invalid operation.  Possibly wrong module version, "
			   "address not unicast, ..." },
	{ OP_NONE, ENOPROTOOPT, "Protocol not available" },
	{ OP_NONE, ENOMEM, "Memory allocation problem" },
	{ OP_NONE, EOPNOTSUPP, "Operation not supported with IPv6" },
	{ OP_NONE, EAFNOSUPPORT, "Operation not supported with specified "
				 "address family" },
	{ OP_NONE, EMSGSIZE, "Module is wrong version" },
	{ OP_NONE, 0, NULL },
};

const char *vs_strerror(enum vs_op op, int err)
{
	for (int i = 0; err_table[i].msg; i++) {
		if ((err_table[i].op == OP_NONE || err_table[i].op == op) &&
		    err_table[i].err == err)
			return err_table[i].msg;
	}
	return strerror(err);
}

void vs_tryhelp_exit(int status)
{
	vs_err_start();
	fprintf(stderr, "Try `%s -h' or '%s --help' for more information.\n",
		vs_progname, vs_progname);
	vs_exit(status);
}

void vs_print_version(FILE *f)
{
	fprintf(f, "ipvsadm " VS_PROGRAM_VERSION " " VS_PROGRAM_DATE
		" (compiled with popt and IPVS v%d.%d.%d)\n",
		(IP_VS_VERSION_CODE >> 16) & 0xff,
		(IP_VS_VERSION_CODE >> 8) & 0xff, IP_VS_VERSION_CODE & 0xff);
}

void vs_version_exit(int status)
{
	vs_print_version(status ? stderr : stdout);
	vs_exit(status);
}

static const char *const usage_synopsis[] = {
	"-A|E virtual-service [-s scheduler] [-p [timeout]] [-M netmask] "
	"[--pe persistence_engine] [-b sched-flags]",
	"-D virtual-service",
	"-C",
	"-R",
	"-S [-n]",
	"-a|e virtual-service -r server-address [options]",
	"-d virtual-service -r server-address",
	"-L|l [virtual-service] [options]",
	"-Z [virtual-service]",
	"--set tcp tcpfin udp",
	"--start-daemon {master|backup} [daemon-options]",
	"--stop-daemon {master|backup}",
	"-h",
};

static const char usage_body[] =
	"Commands:\n"
	"Either long or short options are allowed.\n"
	"  --add-service     -A        add virtual service with options\n"
	"  --edit-service    -E        edit virtual service with options\n"
	"  --delete-service  -D        delete virtual service\n"
	"  --clear           -C        clear the whole table\n"
	"  --restore         -R        restore rules from stdin\n"
	"  --save            -S        save rules to stdout\n"
	"  --add-server      -a        add real server with options\n"
	"  --edit-server     -e        edit real server with options\n"
	"  --delete-server   -d        delete real server\n"
	"  --list            -L|-l     list the table\n"
	"  --zero            -Z        zero counters in a service or all services\n"
	"  --set tcp tcpfin udp        set connection timeout values\n"
	"  --start-daemon              start connection sync daemon\n"
	"  --stop-daemon               stop connection sync daemon\n"
	"  --help            -h        display this help message\n"
	"\n"
	"virtual-service:\n"
	"  --tcp-service|-t  service-address   service-address is host[:port]\n"
	"  --udp-service|-u  service-address   service-address is host[:port]\n"
	"  --sctp-service    service-address   service-address is host[:port]\n"
	"  --fwmark-service|-f fwmark          fwmark is an integer greater than zero\n"
	"\n"
	"Options:\n"
	"  --ipv6         -6                   fwmark entry uses IPv6\n"
	"  --scheduler    -s scheduler         one of rr|wrr|lc|wlc|lblc|lblcr|dh|sh|sed|nq|fo|ovf|mh,\n"
	"                                      the default scheduler is " VS_DEF_SCHED ".\n"
	"  --pe            engine              alternate persistence engine may be sip,\n"
	"                                      not set by default.\n"
	"  --persistent   -p [timeout]         persistent service\n"
	"  --netmask      -M netmask           persistent granularity mask\n"
	"  --real-server  -r server-address    server-address is host (and port)\n"
	"  --gatewaying   -g                   gatewaying (direct routing) (default)\n"
	"  --ipip         -i                   ipip encapsulation (tunneling)\n"
	"  --masquerading -m                   masquerading (NAT)\n"
	"  --tun-type      type                one of ipip|gue|gre,\n"
	"                                      the default tunnel type is " VS_DEF_TUN_TYPE ".\n"
	"  --tun-port      port                tunnel destination port\n"
	"  --tun-nocsum                        tunnel encapsulation without checksum\n"
	"  --tun-csum                          tunnel encapsulation with checksum\n"
	"  --tun-remcsum                       tunnel encapsulation with remote checksum\n"
	"  --weight       -w weight            capacity of real server\n"
	"  --u-threshold  -x uthreshold        upper threshold of connections\n"
	"  --l-threshold  -y lthreshold        lower threshold of connections\n"
	"  --connection   -c                   output of current IPVS connections\n"
	"  --timeout                           output of timeout (tcp tcpfin udp)\n"
	"  --daemon                            output of daemon information\n"
	"  --stats                             output of statistics information\n"
	"  --rate                              output of rate information\n"
	"  --exact                             expand numbers (display exact values)\n"
	"  --thresholds                        output of thresholds information\n"
	"  --persistent-conn                   output of persistent connection info\n"
	"  --tun-info                          output of tunnel information\n"
	"  --nosort                            disable sorting output of service/server entries\n"
	"  --sort                              does nothing, for backwards compatibility\n"
	"  --ops          -o                   one-packet scheduling\n"
	"  --numeric      -n                   numeric output of addresses and ports\n"
	"  --sched-flags  -b flags             scheduler flags (comma-separated)\n"
	"Daemon Options:\n"
	"  --syncid sid                        syncid for connection sync (default=255)\n"
	"  --sync-maxlen length                Max sync message length (default=1472)\n"
	"  --mcast-interface interface         multicast interface for connection sync\n"
	"  --mcast-group address               IPv4/IPv6 group (default=224.0.0.81)\n"
	"  --mcast-port port                   UDP port (default=8848)\n"
	"  --mcast-ttl ttl                     Multicast TTL (default=1)\n";

void vs_usage_exit(int status)
{
	FILE *f = status ? stderr : stdout;
	size_t i;

	vs_print_version(f);
	fputs("Usage:\n", f);
	for (i = 0; i < sizeof(usage_synopsis) / sizeof(usage_synopsis[0]); i++)
		fprintf(f, "  %s %s\n", vs_progname, usage_synopsis[i]);
	fputc('\n', f);
	fputs(usage_body, f);
	vs_exit(status);
}
