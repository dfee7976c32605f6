// SPDX-License-Identifier: GPL-2.0
/*
 * Command dispatch: the {command, handler} table and the list handlers.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ipvsadm.h"

struct vs_info vs_kinfo;	/* IPVS version and table size, read at start */

/* Non-zero while restoring: mutations are queued on the netlink batch. */
int vs_batching;

static int report(int ret, enum vs_op op)
{
	if (ret) {
		vs_err_start();
		fprintf(stderr, "%s\n", vs_strerror(op, errno));
	}
	return ret;
}

void vs_list_all(unsigned int fmt)
{
	struct vs_svc_list l;
	int all;

	if (!(fmt & (FMT_RULE | FMT_JSON)))
		vs_print_header(stdout, &vs_kinfo);
	if (vs_get_services(&l) < 0) {
		report(-1, OP_GET_SERVICES);
		vs_exit(1);
	}
	vs_sort_list(&l, fmt);
	/* one dump for all destinations where the kernel has it (ipvs-ng),
	 * else one per service, as upstream */
	all = vs_get_all_dests(&l) == 0;
	if (!all && errno != EOPNOTSUPP) {
		report(-1, OP_GET_DESTS);
		vs_exit(1);
	}
	if (!(fmt & FMT_JSON))
		vs_print_title(stdout, fmt);
	for (int i = 0; i < l.n; i++) {
		if (!all && vs_get_dests(&l.e[i]) < 0) {
			report(-1, OP_GET_DESTS);
			vs_exit(1);
		}
		if (!(fmt & FMT_JSON)) {
			vs_print_service(stdout, &l.e[i], fmt);
			free(l.e[i].dests);
			l.e[i].dests = NULL;
			l.e[i].ndests = 0;
		} else if (!(fmt & FMT_NOSORT)) {
			qsort(l.e[i].dests, l.e[i].ndests,
			      sizeof(l.e[i].dests[0]), vs_dest_cmp);
		}
	}
	if (fmt & FMT_JSON)
		vs_json_services(stdout, &vs_kinfo, &l);
	vs_svc_list_free(&l);
}

static void list_service(const struct vs_service *key, unsigned int fmt)
{
	struct vs_svc_list l = { 0 };
	struct vs_svc_entry *e = vs_svc_list_add(&l);

	if (!e || vs_get_service(key, &e->svc) < 0) {
		report(-1, OP_GET_SERVICE);
		vs_exit(1);
	}
	if (!(fmt & FMT_JSON))
		vs_print_title(stdout, fmt);
	if (vs_get_dests(e) < 0) {
		report(-1, OP_GET_DESTS);
		vs_exit(1);
	}
	if (fmt & FMT_JSON) {
		if (!(fmt & FMT_NOSORT))
			qsort(e->dests, e->ndests, sizeof(e->dests[0]),
			      vs_dest_cmp);
		vs_json_services(stdout, NULL, &l);
	} else {
		vs_print_service(stdout, e, fmt);
	}
	vs_svc_list_free(&l);
}

static int cmd_list(struct vs_req *r)
{
	if (r->options & OPTBIT(OPT_CONNECTION)) {
		vs_list_conns(stdout, r->fmt);
	} else if (r->options & OPTBIT(OPT_SERVICE)) {
		list_service(&r->svc, r->fmt);
	} else if (r->options & OPTBIT(OPT_TIMEOUT)) {
		struct vs_timeout to;

		if (vs_get_timeout(&to) < 0)
			vs_exit(1);
		if (r->fmt & FMT_JSON)
			vs_json_timeout(stdout, &to);
		else
			vs_print_timeout(stdout, &to);
	} else if (r->options & OPTBIT(OPT_DAEMON)) {
		struct vs_daemon dm[2];

		if (vs_get_daemons(dm) < 0)
			vs_exit(1);
		if (r->fmt & FMT_JSON)
			vs_json_daemons(stdout, dm);
		else
			vs_print_daemons(stdout, dm);
	} else {
		vs_list_all(r->fmt);
	}
	return 0;
}

static int cmd_save(struct vs_req *r)
{
	vs_list_all(r->fmt | FMT_RULE);
	return 0;
}

static int reading_stdin_now;

static int cmd_restore(struct vs_req *r)
{
	(void)r;
	if (reading_stdin_now)
		vs_tryhelp_exit(-1);
	return vs_restore(stdin);
}

static const enum vs_op svc_ops[CMD_COUNT] = {
	[CMD_ADD] = OP_ADD_SERVICE,
	[CMD_EDIT] = OP_EDIT_SERVICE,
	[CMD_DEL] = OP_DEL_SERVICE,
	[CMD_ZERO] = OP_ZERO,
	[CMD_FLUSH] = OP_FLUSH,
	[CMD_ADDDEST] = OP_ADD_DEST,
	[CMD_EDITDEST] = OP_EDIT_DEST,
	[CMD_DELDEST] = OP_DEL_DEST,
	[CMD_TIMEOUT] = OP_SET_TIMEOUT,
	[CMD_STARTDAEMON] = OP_START_DAEMON,
	[CMD_STOPDAEMON] = OP_STOP_DAEMON,
};

/* Kernel mutations: built as one message, sent now or queued (-R). */
static int cmd_mutate(struct vs_req *r)
{
	struct vs_msg m;
	int ret = 0;

	switch (r->cmd) {
	case CMD_ADD:
	case CMD_EDIT:
	case CMD_DEL:
	case CMD_ZERO:
	case CMD_FLUSH:
		ret = vs_service_msg(&m, r->cmd, &r->svc);
		break;
	case CMD_ADDDEST:
	case CMD_EDITDEST:
	case CMD_DELDEST:
		ret = vs_dest_msg(&m, r->cmd, &r->svc, &r->dest);
		break;
	case CMD_TIMEOUT:
		vs_timeout_msg(&m, &r->to);
		break;
	default:
		vs_daemon_msg(&m, r->cmd, &r->dm);
		break;
	}
	if (ret < 0 || m.bad) {
		errno = ENOMEM;
		return report(-1, svc_ops[r->cmd]);
	}
	if (vs_batching) {
		vs_restore_queue(&m, svc_ops[r->cmd]);
		return 0;
	}
	return report(vs_nl_talk(&m, NULL, NULL), svc_ops[r->cmd]);
}

static const struct {
	enum vs_cmd cmd;
	int (*handler)(struct vs_req *r);
	int reads;	/* needs queued mutations applied first */
} commands[] = {
	{ CMD_LIST, cmd_list, 1 },
	{ CMD_SAVE, cmd_save, 1 },
	{ CMD_RESTORE, cmd_restore, 1 },
	{ CMD_FLUSH, cmd_mutate, 0 },
	{ CMD_ADD, cmd_mutate, 0 },
	{ CMD_EDIT, cmd_mutate, 0 },
	{ CMD_DEL, cmd_mutate, 0 },
	{ CMD_ZERO, cmd_mutate, 0 },
	{ CMD_ADDDEST, cmd_mutate, 0 },
	{ CMD_EDITDEST, cmd_mutate, 0 },
	{ CMD_DELDEST, cmd_mutate, 0 },
	{ CMD_TIMEOUT, cmd_mutate, 0 },
	{ CMD_STARTDAEMON, cmd_mutate, 0 },
	{ CMD_STOPDAEMON, cmd_mutate, 0 },
};

int vs_execute(struct vs_req *r)
{
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (commands[i].cmd != r->cmd)
			continue;
		if (commands[i].reads && vs_batching)
			vs_batch_flush();
		return commands[i].handler(r);
	}
	return -1;
}

int vs_run(int argc, char **argv, int reading_stdin)
{
	struct vs_req r;

	if (vs_parse_args(argc, argv, &r, reading_stdin) < 0)
		return -1;
	vs_check_semantics(&r);
	reading_stdin_now = reading_stdin;
	return vs_execute(&r);
}

