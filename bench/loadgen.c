// SPDX-License-Identifier: GPL-2.0
/*
 * loadgen: fixed-work, single-process load generator for the benchmarks.
 *
 *   loadgen bulk  TARGETS BYTES   one TCP connection carrying BYTES, then FIN
 *   loadgen crr   TARGETS COUNT   COUNT connect / 64-byte request / close
 *   loadgen udprr TARGETS COUNT   COUNT 64-byte UDP request/responses
 *   loadgen fill  TARGET COUNT FIRST
 *                                 COUNT UDP datagrams from distinct source
 *                                 address/port pairs (numbers FIRST..), raw
 *   loadgen now                   print CLOCK_MONOTONIC in nanoseconds
 *
 * TARGETS is ADDR:PORT[,ADDR:PORT...]; connections take them in turn, so
 * plain routing can spread over the same servers a virtual service does.
 *
 * The work is measured with the guest's CLOCK_MONOTONIC (under qemu -icount
 * it advances with executed instructions). Every exchange is checked: the
 * responder answers each TCP connection with the byte count it received and
 * echoes each datagram, so a short transfer, a lost or foreign datagram, or a
 * stuck connection makes loadgen fail (exit 1) rather than report a time for
 * work that did not happen. Output, one line:
 *   ns N conns N bytes N dgrams N idle_ms N
 * (what this end sent and saw acknowledged by the other end; idle_ms: how
 * long the guest's CPUs sat idle during the work, from /proc/stat, in 10 ms
 * ticks. A fixed-work run on one CPU keeps it busy; idle time is waiting,
 * e.g. for a retransmission timer, which icount turns into guest time.)
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/udp.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_TARGETS 16
#define REQ_BYTES 64
#define UDP_WAIT_MS 5000

/* Source pairs for "fill": 10.128.0.0/9, ports 1024..65023 per address. */
#define FILL_NET 0x0a800000u
#define FILL_PORTS 64000u

struct totals {
	uint64_t conns, bytes, dgrams;
};

static struct sockaddr_in targets[MAX_TARGETS];
static int ntargets;

static void fail(const char *fmt, const char *what)
{
	fprintf(stderr, "loadgen: ");
	fprintf(stderr, fmt, what);
	fprintf(stderr, "%s%s\n", errno ? ": " : "", errno ? strerror(errno) : "");
	exit(1);
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static uint64_t number(const char *s)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || *s == '\0' || *end != '\0')
		fail("bad number '%s'", s);
	return v;
}

static void parse_targets(char *list)
{
	char *tok, *save = NULL, *colon;

	for (tok = strtok_r(list, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		struct sockaddr_in *sa = &targets[ntargets];

		colon = strrchr(tok, ':');
		if (!colon || ntargets == MAX_TARGETS)
			fail("bad target '%s'", tok);
		*colon = '\0';
		sa->sin_family = AF_INET;
		sa->sin_port = htons((unsigned short)number(colon + 1));
		if (inet_pton(AF_INET, tok, &sa->sin_addr) != 1)
			fail("bad address '%s'", tok);
		ntargets++;
	}
	if (!ntargets)
		fail("%s", "no target");
}

static int tcp_connect(const struct sockaddr_in *sa)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	if (fd < 0)
		fail("%s", "socket");
	if (connect(fd, (const struct sockaddr *)sa, sizeof(*sa)) < 0)
		fail("%s", "connect");
	return fd;
}

static void write_all(int fd, const char *buf, size_t len)
{
	ssize_t n;

	while (len) {
		n = write(fd, buf, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			fail("%s", "write");
		buf += n;
		len -= (size_t)n;
	}
}

/* Half-close, then the responder's count must equal what we sent. */
static void finish_tcp(int fd, uint64_t sent)
{
	uint64_t got = 0;
	size_t have = 0;
	ssize_t n;
	char extra;

	if (shutdown(fd, SHUT_WR) < 0)
		fail("%s", "shutdown");
	while (have < sizeof(got)) {
		n = read(fd, (char *)&got + have, sizeof(got) - have);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			fail("%s", "short reply from responder");
		have += (size_t)n;
	}
	if (read(fd, &extra, 1) != 0)
		fail("%s", "responder did not close");
	if (got != sent) {
		fprintf(stderr, "loadgen: responder counted %llu bytes, sent %llu\n",
			(unsigned long long)got, (unsigned long long)sent);
		exit(1);
	}
	close(fd);
}

static void run_bulk(uint64_t bytes, struct totals *t)
{
	static char buf[65536];
	uint64_t left = bytes;
	int fd = tcp_connect(&targets[0]);

	memset(buf, 'b', sizeof(buf));
	while (left) {
		size_t chunk = left < sizeof(buf) ? (size_t)left : sizeof(buf);

		write_all(fd, buf, chunk);
		left -= chunk;
	}
	finish_tcp(fd, bytes);
	t->conns = 1;
	t->bytes = bytes;
}

static void run_crr(uint64_t count, struct totals *t)
{
	char req[REQ_BYTES];
	uint64_t i;

	memset(req, 'r', sizeof(req));
	for (i = 0; i < count; i++) {
		int fd = tcp_connect(&targets[i % (uint64_t)ntargets]);

		write_all(fd, req, sizeof(req));
		finish_tcp(fd, sizeof(req));
	}
	t->conns = count;
	t->bytes = count * sizeof(req);
}

static void run_udprr(uint64_t count, struct totals *t)
{
	char req[REQ_BYTES], rsp[2048];
	struct pollfd pfd;
	uint64_t i;
	ssize_t n;
	int fd = socket(AF_INET, SOCK_DGRAM, 0);

	if (fd < 0 || connect(fd, (struct sockaddr *)&targets[0], sizeof(targets[0])) < 0)
		fail("%s", "udp socket");
	memset(req, 'u', sizeof(req));
	pfd = (struct pollfd){ .fd = fd, .events = POLLIN };
	for (i = 0; i < count; i++) {
		memcpy(req, &i, sizeof(i));
		if (send(fd, req, sizeof(req), 0) != (ssize_t)sizeof(req))
			fail("%s", "send");
		if (poll(&pfd, 1, UDP_WAIT_MS) != 1)
			fail("%s", "udp reply lost");
		n = recv(fd, rsp, sizeof(rsp), 0);
		if (n != (ssize_t)sizeof(req) || memcmp(rsp, req, sizeof(req)))
			fail("%s", "udp reply does not match the request");
	}
	close(fd);
	t->dgrams = count;
	t->bytes = count * sizeof(req);
}

/*
 * Raw UDP datagrams, each from its own source address/port, to fill the
 * director's connection table with idle entries. Fire and forget: the caller
 * counts the entries the director created.
 */
static void run_fill(uint64_t count, uint64_t first, struct totals *t)
{
	struct {
		struct iphdr ip;
		struct udphdr udp;
		char payload[8];
	} pkt;
	uint64_t i, k;
	int fd = socket(AF_INET, SOCK_RAW, IPPROTO_RAW);

	if (fd < 0)
		fail("%s", "raw socket");
	memset(&pkt, 0, sizeof(pkt));
	pkt.ip.version = 4;
	pkt.ip.ihl = 5;
	pkt.ip.ttl = 64;
	pkt.ip.protocol = IPPROTO_UDP;
	pkt.ip.tot_len = htons(sizeof(pkt));
	pkt.ip.daddr = targets[0].sin_addr.s_addr;
	pkt.udp.dest = targets[0].sin_port;
	pkt.udp.len = htons(sizeof(pkt) - sizeof(pkt.ip));
	for (i = 0; i < count; i++) {
		k = first + i;
		pkt.ip.saddr = htonl(FILL_NET + (uint32_t)(k / FILL_PORTS) + 1);
		pkt.udp.source = htons((uint16_t)(1024 + k % FILL_PORTS));
		memcpy(pkt.payload, &k, sizeof(pkt.payload));
		while (sendto(fd, &pkt, sizeof(pkt), 0, (struct sockaddr *)&targets[0],
			      sizeof(targets[0])) != (ssize_t)sizeof(pkt)) {
			if (errno != ENOBUFS && errno != EINTR)
				fail("%s", "sendto");
		}
	}
	close(fd);
	t->dgrams = count;
}

/* Idle plus iowait time of all CPUs so far, in milliseconds (/proc/stat). */
static uint64_t idle_ms(void)
{
	unsigned long long v[5] = { 0 };
	long hz = sysconf(_SC_CLK_TCK);
	FILE *f = fopen("/proc/stat", "r");
	int n = 0;

	if (f) {
		n = fscanf(f, "cpu %llu %llu %llu %llu %llu", &v[0], &v[1], &v[2], &v[3], &v[4]);
		fclose(f);
	}
	if (n != 5 || hz <= 0)
		fail("%s", "cannot read /proc/stat");
	return (v[3] + v[4]) * 1000 / (uint64_t)hz;
}

int main(int argc, char **argv)
{
	struct totals t = { 0 };
	uint64_t start, ns, idle;
	const char *mode = argc > 1 ? argv[1] : "";

	if (!strcmp(mode, "now") && argc == 2) {
		printf("%llu\n", (unsigned long long)now_ns());
		return 0;
	}
	if (argc < 4 || (!strcmp(mode, "fill") ? argc != 5 : argc != 4))
		goto usage;
	parse_targets(argv[2]);
	idle = idle_ms();
	start = now_ns();
	if (!strcmp(mode, "bulk"))
		run_bulk(number(argv[3]), &t);
	else if (!strcmp(mode, "crr"))
		run_crr(number(argv[3]), &t);
	else if (!strcmp(mode, "udprr"))
		run_udprr(number(argv[3]), &t);
	else if (!strcmp(mode, "fill"))
		run_fill(number(argv[3]), number(argv[4]), &t);
	else
		goto usage;
	ns = now_ns() - start;
	idle = idle_ms() - idle;
	printf("ns %llu conns %llu bytes %llu dgrams %llu idle_ms %llu\n",
	       (unsigned long long)ns, (unsigned long long)t.conns,
	       (unsigned long long)t.bytes, (unsigned long long)t.dgrams,
	       (unsigned long long)idle);
	return 0;
usage:
	fprintf(stderr, "usage: loadgen bulk|crr|udprr ADDR:PORT[,...] N\n"
			"       loadgen fill ADDR:PORT COUNT FIRST\n"
			"       loadgen now\n");
	return 2;
}
