// SPDX-License-Identifier: GPL-2.0
/*
 * -R: read rules from stdin, one command per line, and pipeline the
 * kernel requests (many messages per send, acks collected per batch).
 *
 * Lines are split on blanks the way ipvsadm 1.31 splits them: "ipvsadm"
 * tokens are dropped, '#' is an ordinary token, a line of blanks is
 * empty.  Every line is checked exactly as a command line is; a failing
 * line is reported as "line N: <message>" and, as upstream does, does not
 * stop the lines after it (a usage error still ends the run, after the
 * earlier lines have been applied).  The exit status is that of the last
 * command, as with upstream.
 */
#include <stdlib.h>
#include <string.h>

#include "ipvsadm.h"

#define TOKEN_MAX	4096

static int is_blank(int c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* argv and its strings are one allocation. */
void vs_free_argv(char **argv)
{
	free(argv);
}

/* The tokens of a line, NUL-terminated one after another. */
struct line_buf {
	char *s;
	size_t len, cap;
	int n;
};

static int add_token(struct line_buf *b, const char *tok, size_t len)
{
	if (b->len + len + 1 > b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 256;
		char *s;

		while (cap < b->len + len + 1)
			cap *= 2;
		s = realloc(b->s, cap);
		if (!s)
			return -1;
		b->s = s;
		b->cap = cap;
	}
	memcpy(b->s + b->len, tok, len);
	b->s[b->len + len] = '\0';
	b->len += len + 1;
	b->n++;
	return 0;
}

static char **make_argv(struct line_buf *b, int *argc)
{
	size_t head = sizeof(char *) * (b->n + 2), plen = strlen(vs_progname) + 1;
	char **argv = malloc(head + plen + b->len);
	char *p;

	if (!argv)
		return NULL;
	p = (char *)argv + head;
	memcpy(p, vs_progname, plen);
	argv[0] = p;
	p += plen;
	memcpy(p, b->s, b->len);
	for (int i = 1; i <= b->n; i++) {
		argv[i] = p;
		p += strlen(p) + 1;
	}
	argv[b->n + 1] = NULL;
	*argc = b->n + 1;
	return argv;
}

char **vs_read_line(FILE *in, int *argc)
{
	static struct line_buf b;
	char tok[TOKEN_MAX + 1];
	int c;

	b.len = 0;
	b.n = 0;
	*argc = 0;
	for (;;) {
		size_t len = 0;

		c = getc_unlocked(in);
		if (c == EOF)
			break;
		if (is_blank(c)) {
			/* a run of blanks: the line ends at a newline, and
			 * blanks running into end of input drop the line */
			while (c != '\n') {
				if (c == EOF)
					return NULL;
				if (!is_blank(c)) {
					ungetc(c, in);
					break;
				}
				c = getc_unlocked(in);
			}
			if (c == '\n')
				return make_argv(&b, argc);
			continue;
		}
		while (c != EOF && !is_blank(c) && len < TOKEN_MAX) {
			tok[len++] = (char)c;
			c = getc_unlocked(in);
		}
		tok[len] = '\0';
		if (strcmp(tok, "ipvsadm") && add_token(&b, tok, len) < 0)
			return NULL;
		if (c == '\n')
			return make_argv(&b, argc);
		if (c != EOF && !is_blank(c))
			ungetc(c, in);	/* token longer than TOKEN_MAX */
	}
	return b.n ? make_argv(&b, argc) : NULL;
}

static struct {
	long line;		/* line being processed */
	long last_line;		/* last line holding a command */
	int last_result;
} rs;

#define OP_BITS 6

static void batch_done(long cookie, int err, void *arg)
{
	long line = cookie >> OP_BITS;
	enum vs_op op = (enum vs_op)(cookie & ((1 << OP_BITS) - 1));

	(void)arg;
	if (err)
		fprintf(stderr, "line %ld: %s\n", line, vs_strerror(op, err));
	if (line == rs.last_line)
		rs.last_result = err ? -1 : 0;
}

void vs_restore_queue(struct vs_msg *m, enum vs_op op)
{
	vs_batch_add(m, (rs.line << OP_BITS) | op);
}

static void flush_hook(void)
{
	long saved = vs_err_line;

	vs_err_line = 0;
	vs_batch_flush();
	vs_err_line = saved;
}

int vs_restore(FILE *in)
{
	char **argv;
	int argc;

	vs_batch_init(batch_done, NULL);
	vs_batching = 1;
	vs_before_exit = flush_hook;
	rs.last_result = 0;

	while ((argv = vs_read_line(in, &argc)) != NULL) {
		rs.line++;
		if (argc > 1) {
			vs_err_line = rs.line;
			rs.last_line = rs.line;
			rs.last_result = vs_run(argc, argv, 1);
			if (!vs_before_exit)
				vs_before_exit = flush_hook;
		}
		vs_free_argv(argv);
	}
	vs_err_line = 0;
	vs_batch_flush();
	vs_batching = 0;
	vs_before_exit = NULL;
	return rs.last_result;
}
