// SPDX-License-Identifier: GPL-2.0
/*
 * ipvsadm (ipvs-ng): shared types and prototypes.
 *
 * The tool is split by object: parse.c (argument values), opts.c (the
 * popt table and the command x option legality matrix), nl.c (the one
 * generic-netlink socket), service.c / dest.c / config.c / daemon.c
 * (kernel objects), conn.c (connection table), print.c / json.c (output),
 * restore.c (-R), main.c (command dispatch).
 */
#ifndef IPVSADM_H
#define IPVSADM_H

#include <stdint.h>
#include <stdio.h>
#include <netinet/in.h>
#include <linux/netlink.h>
#include <linux/ip_vs.h>

#define VS_PROGRAM_VERSION	"v1.31"
#define VS_PROGRAM_DATE		"2019/12/24"

#define VS_DEF_SCHED		"wlc"
#define VS_DEF_TUN_TYPE		"ipip"
#define VS_DEF_MCAST_IFN	"eth0"
#define VS_MAX_TIMEOUT		(86400 * 31)
#define VS_CONN_PROC		"/proc/net/ip_vs_conn"
#define VS_PERSISTENT_TIMEOUT	(6 * 60)	/* -p without a value */

/* Scheduler flag aliases the UAPI header of older kernels lacks. */
#ifndef IP_VS_SVC_F_SCHED_MH_FALLBACK
#define IP_VS_SVC_F_SCHED_MH_FALLBACK	IP_VS_SVC_F_SCHED1
#endif
#ifndef IP_VS_SVC_F_SCHED_MH_PORT
#define IP_VS_SVC_F_SCHED_MH_PORT	IP_VS_SVC_F_SCHED2
#endif

/* Commands, in the order of the legality matrix rows. */
enum vs_cmd {
	CMD_NONE = 0,
	CMD_ADD,
	CMD_EDIT,
	CMD_DEL,
	CMD_FLUSH,
	CMD_LIST,
	CMD_ADDDEST,
	CMD_DELDEST,
	CMD_EDITDEST,
	CMD_TIMEOUT,
	CMD_STARTDAEMON,
	CMD_STOPDAEMON,
	CMD_RESTORE,
	CMD_SAVE,
	CMD_ZERO,
	CMD_COUNT
};

/* Options, in the order of the legality matrix columns. */
enum vs_opt {
	OPT_NUMERIC = 0,
	OPT_CONNECTION,
	OPT_SERVICE,
	OPT_SCHEDULER,
	OPT_PERSISTENT,
	OPT_NETMASK,
	OPT_SERVER,
	OPT_FORWARD,
	OPT_WEIGHT,
	OPT_UTHRESHOLD,
	OPT_LTHRESHOLD,
	OPT_MCAST_IFN,
	OPT_TIMEOUT,
	OPT_DAEMON,
	OPT_STATS,
	OPT_RATE,
	OPT_THRESHOLDS,
	OPT_PERSISTENTCONN,
	OPT_NOSORT,
	OPT_SYNCID,
	OPT_EXACT,
	OPT_ONEPACKET,
	OPT_PE,
	OPT_SCHED_FLAGS,
	OPT_MCAST_GROUP,
	OPT_MCAST_PORT,
	OPT_MCAST_TTL,
	OPT_SYNC_MAXLEN,
	OPT_TUN_INFO,
	OPT_TUN_TYPE,
	OPT_TUN_PORT,
	OPT_TUN_NOCSUM,
	OPT_TUN_CSUM,
	OPT_TUN_REMCSUM,
	OPT_JSON,		/* ipvs-ng extension, kept last */
	OPT_COUNT
};

#define OPTBIT(o)	(1ULL << (o))

/* Output format flags. */
#define FMT_NUMERIC		0x0001
#define FMT_RULE		0x0002
#define FMT_STATS		0x0004
#define FMT_RATE		0x0008
#define FMT_THRESHOLDS		0x0010
#define FMT_PERSISTENTCONN	0x0020
#define FMT_NOSORT		0x0040
#define FMT_EXACT		0x0080
#define FMT_TUN_INFO		0x0100
#define FMT_JSON		0x0200

union vs_addr {
	uint32_t ip;		/* network order */
	struct in_addr in;
	struct in6_addr in6;
};

struct vs_stats {
	uint64_t conns, inpkts, outpkts, inbytes, outbytes;
	uint64_t cps, inpps, outpps, inbps, outbps;
};

struct vs_service {
	uint16_t af;
	uint16_t protocol;
	union vs_addr addr;
	uint16_t port;		/* network order */
	uint32_t fwmark;
	char sched[IP_VS_SCHEDNAME_MAXLEN];
	char pe[IP_VS_PENAME_MAXLEN + 1];
	uint32_t flags;
	uint32_t timeout;
	uint32_t netmask;	/* IPv4: network-order mask; IPv6: prefix */
	struct vs_stats stats;
};

struct vs_dest {
	uint16_t af;
	union vs_addr addr;
	uint16_t port;		/* network order */
	uint32_t conn_flags;
	int weight;
	uint8_t tun_type;
	uint16_t tun_port;	/* network order */
	uint16_t tun_flags;
	uint32_t u_threshold, l_threshold;
	uint32_t activeconns, inactconns, persistconns;
	struct vs_stats stats;
};

struct vs_timeout {
	int tcp, tcp_fin, udp;
};

struct vs_daemon {
	uint32_t state;
	char mcast_ifn[IP_VS_IFNAME_MAXLEN];
	uint32_t syncid;
	uint16_t sync_maxlen;
	uint16_t mcast_port;
	uint8_t mcast_ttl;
	uint16_t mcast_af;
	union vs_addr mcast_group;
};

/* One parsed command line. */
struct vs_req {
	enum vs_cmd cmd;
	uint64_t options;
	unsigned int fmt;
	struct vs_service svc;
	struct vs_dest dest;
	struct vs_timeout to;
	struct vs_daemon dm;
};

struct vs_info {
	uint32_t version;
	uint32_t size;
};

/* A service with its destinations, as listed. */
struct vs_svc_entry {
	struct vs_service svc;
	struct vs_dest *dests;
	int ndests;
};

struct vs_svc_list {
	struct vs_svc_entry *e;
	int n, cap;
};

/* Kernel operations, used to pick the error message (see err.c). */
enum vs_op {
	OP_NONE = 0,
	OP_ADD_SERVICE,
	OP_EDIT_SERVICE,
	OP_DEL_SERVICE,
	OP_ZERO,
	OP_ADD_DEST,
	OP_EDIT_DEST,
	OP_DEL_DEST,
	OP_SET_TIMEOUT,
	OP_START_DAEMON,
	OP_STOP_DAEMON,
	OP_GET_SERVICES,
	OP_GET_DESTS,
	OP_GET_SERVICE,
	OP_GET_TIMEOUT,
	OP_GET_DAEMON,
	OP_GET_INFO,
	OP_FLUSH,
};

/* err.c */
extern const char *vs_progname;
extern void (*vs_before_exit)(void);
extern long vs_err_line;
void vs_err_start(void);	/* "line N: " while restoring */
void vs_fail(int status, const char *fmt, ...)
	__attribute__((format(printf, 2, 3), noreturn));
void vs_exit(int status) __attribute__((noreturn));
const char *vs_strerror(enum vs_op op, int err);
void vs_tryhelp_exit(int status) __attribute__((noreturn));
void vs_usage_exit(int status) __attribute__((noreturn));
void vs_version_exit(int status) __attribute__((noreturn));
void vs_print_version(FILE *f);

/* parse.c */
#define SVC_ADDR	0x1
#define SVC_PORT	0x2
int vs_str_to_number(const char *s, int min, int max);
int vs_parse_service(char *buf, struct vs_service *svc);
int vs_parse_netmask(const char *buf, uint32_t *mask);
int vs_parse_timeout(const char *buf, int min, int max);
uint32_t vs_parse_fwmark(const char *buf);
uint32_t vs_parse_sched_flags(const char *sched, char *arg);
int vs_parse_tun_type(const char *name);
int vs_host_to_addr(const char *name, struct in_addr *addr);
int vs_service_to_port(const char *name, uint16_t proto);

/* opts.c */
extern const char *const vs_cmd_names[CMD_COUNT];
extern const char *const vs_opt_names[OPT_COUNT];
void vs_req_init(struct vs_req *r);
/* Parse argv into r; returns 0, or -1 after printing a popt error. */
int vs_parse_args(int argc, char **argv, struct vs_req *r, int reading_stdin);
/* The same through popt alone (the unit tests compare the two). */
int vs_parse_popt(int argc, char **argv, struct vs_req *r);
void vs_check_legal(enum vs_cmd cmd, uint64_t options);
void vs_check_tunnel(int tun_type, uint64_t options);
void vs_check_semantics(struct vs_req *r);

/* msg.c: a request built in place (no allocation). */
#define VS_MSG_BYTES	512	/* the largest request is ~250 bytes */
struct vs_msg {
	size_t len;
	int bad;		/* did not fit: never sent */
	union {
		struct nlmsghdr nlh;
		unsigned char buf[VS_MSG_BYTES];
	} u;
};
void vs_msg_init(struct vs_msg *m, int family, int cmd, int flags);
void vs_msg_put(struct vs_msg *m, int type, const void *data, size_t len);
void vs_msg_put_u8(struct vs_msg *m, int type, uint8_t v);
void vs_msg_put_u16(struct vs_msg *m, int type, uint16_t v);
void vs_msg_put_u32(struct vs_msg *m, int type, uint32_t v);
void vs_msg_put_str(struct vs_msg *m, int type, const char *s);
size_t vs_msg_nest(struct vs_msg *m, int type);
void vs_msg_nest_end(struct vs_msg *m, size_t off);

/* nl.c */
typedef int (*vs_nl_cb)(struct nlmsghdr *nlh, void *arg);
int vs_nl_open(void);
void vs_nl_close(void);
void vs_nl_msg(struct vs_msg *m, int cmd, int flags);
int vs_nl_talk(struct vs_msg *m, vs_nl_cb cb, void *arg);
void vs_nl_put_service(struct vs_msg *m, const struct vs_service *svc,
		       int full);
void vs_nl_put_dest(struct vs_msg *m, const struct vs_dest *d);
/* Batch (pipelined) sending: queue a message tagged with a cookie. */
typedef void (*vs_batch_done)(long cookie, int err, void *arg);
void vs_batch_init(vs_batch_done done, void *arg);
int vs_batch_add(struct vs_msg *m, long cookie);
int vs_batch_flush(void);

/* Attribute parsers (pure; used on replies and in unit tests). */
int vs_parse_info_msg(struct nlmsghdr *nlh, struct vs_info *info);
int vs_parse_service_msg(struct nlmsghdr *nlh, struct vs_service *svc);
int vs_parse_service_key_msg(struct nlmsghdr *nlh, struct vs_service *svc);
int vs_parse_dest_msg(struct nlmsghdr *nlh, uint16_t svc_af,
		      struct vs_dest *d);
int vs_parse_timeout_msg(struct nlmsghdr *nlh, struct vs_timeout *to);
int vs_parse_daemon_msg(struct nlmsghdr *nlh, struct vs_daemon *dm);

/* service.c */
int vs_service_msg(struct vs_msg *m, enum vs_cmd cmd,
		   const struct vs_service *svc);
int vs_get_info(struct vs_info *info);
int vs_get_services(struct vs_svc_list *l);
int vs_get_service(const struct vs_service *key, struct vs_service *out);
void vs_svc_list_free(struct vs_svc_list *l);
struct vs_svc_entry *vs_svc_list_add(struct vs_svc_list *l);
int vs_svc_cmp(const void *a, const void *b);

/* dest.c */
int vs_dest_msg(struct vs_msg *m, enum vs_cmd cmd,
		const struct vs_service *svc, const struct vs_dest *d);
int vs_get_dests(struct vs_svc_entry *e);
int vs_get_all_dests(struct vs_svc_list *l);
int vs_dest_cmp(const void *a, const void *b);
int vs_dest_add_to(struct vs_svc_entry *e, const struct vs_dest *d);

/* config.c */
void vs_timeout_msg(struct vs_msg *m, const struct vs_timeout *to);
int vs_get_timeout(struct vs_timeout *to);

/* daemon.c */
void vs_daemon_msg(struct vs_msg *m, enum vs_cmd cmd,
		   const struct vs_daemon *dm);
int vs_get_daemons(struct vs_daemon dm[2]);

/* conn.c */
struct vs_conn {
	char proto[8];
	uint16_t protocol;
	uint16_t af, daf;
	union vs_addr caddr, vaddr, daddr;
	uint16_t cport, vport, dport;	/* host order */
	char state[16];
	unsigned int expires;
	char pe_name[IP_VS_PENAME_MAXLEN + 1];
	char pe_data[IP_VS_PEDATA_MAXLEN + 1];
	int nfields;
};
int vs_conn_parse_line(const char *line, struct vs_conn *c);
int vs_list_conns(FILE *out, unsigned int fmt);

/* print.c */
char *vs_addrport_name(int af, const union vs_addr *addr, uint16_t port,
		       uint16_t proto, unsigned int fmt);
void vs_print_largenum(FILE *f, unsigned long long v, unsigned int fmt);
void vs_print_title(FILE *f, unsigned int fmt);
void vs_print_service(FILE *f, struct vs_svc_entry *e, unsigned int fmt);
void vs_print_header(FILE *f, const struct vs_info *info);
void vs_print_timeout(FILE *f, const struct vs_timeout *to);
void vs_print_daemons(FILE *f, const struct vs_daemon dm[2]);
void vs_print_conn_title(FILE *f, unsigned int fmt);
void vs_print_conn(FILE *f, const struct vs_conn *c, unsigned int fmt);
void vs_sort_list(struct vs_svc_list *l, unsigned int fmt);

/* json.c */
void vs_json_services(FILE *f, const struct vs_info *info,
		      struct vs_svc_list *l);
void vs_json_timeout(FILE *f, const struct vs_timeout *to);
void vs_json_daemons(FILE *f, const struct vs_daemon dm[2]);
void vs_json_conns_begin(FILE *f);
void vs_json_conn(FILE *f, const struct vs_conn *c, int first);
void vs_json_conns_end(FILE *f);

/* restore.c */
int vs_restore(FILE *in);
/* Splits one line of restore input the way upstream's reader does.
 * Returns NULL at end of input; *argc counts argv[0]. */
char **vs_read_line(FILE *in, int *argc);
void vs_free_argv(char **argv);

/* cmd.c */
extern struct vs_info vs_kinfo;
extern int vs_batching;
int vs_run(int argc, char **argv, int reading_stdin);
int vs_execute(struct vs_req *r);
void vs_list_all(unsigned int fmt);
void vs_restore_queue(struct vs_msg *m, enum vs_op op);

#endif
