// SPDX-License-Identifier: GPL-2.0
/*
 * responder: the tiny server side of the data-plane benchmarks.
 *
 *   responder [-k SINKPORT] PORT...
 *
 * On every PORT it listens on TCP and UDP. A TCP connection is read until the
 * peer's FIN, then answered with the number of bytes received (8 bytes, host
 * order; client and server run on the same machine) and closed: that one rule
 * serves both the bulk case (megabytes, then a count) and connect-request-close
 * (a small request, then a count). A UDP datagram is echoed back unchanged,
 * from the address it was sent to.
 *
 * -k binds a UDP socket on SINKPORT that is never read: datagrams used to fill
 * the connection table are absorbed without ICMP port-unreachable replies.
 *
 * Single process, single thread, one TCP connection at a time: the load
 * generator is sequential too, so nothing waits. On SIGTERM it prints what it
 * counted ("tcp_conns N tcp_bytes N udp_dgrams N udp_bytes N") and exits, so
 * the benchmark can check the traffic at this end as well as at the client.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAX_PORTS 8

static volatile sig_atomic_t stop;
static uint64_t tcp_conns, tcp_bytes, udp_dgrams, udp_bytes;

static void on_term(int sig)
{
	(void)sig;
	stop = 1;
}

static void die(const char *what)
{
	perror(what);
	exit(1);
}

static int bound_socket(int type, unsigned short port)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(port) };
	int one = 1;
	int fd = socket(AF_INET, type, 0);

	if (fd < 0)
		die("socket");
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (type == SOCK_DGRAM)
		setsockopt(fd, IPPROTO_IP, IP_PKTINFO, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		die("bind");
	if (type == SOCK_STREAM && listen(fd, 128) < 0)
		die("listen");
	return fd;
}

/* Read to EOF, answer with the count. Errors only lose this connection. */
static void serve_tcp(int lfd)
{
	static char buf[65536];
	uint64_t got = 0;
	ssize_t n;
	int fd = accept(lfd, NULL, NULL);

	if (fd < 0)
		return;
	for (;;) {
		n = read(fd, buf, sizeof(buf));
		if (n > 0) {
			got += (uint64_t)n;
			continue;
		}
		if (n < 0 && errno == EINTR && !stop)
			continue;
		break;
	}
	tcp_conns++;
	tcp_bytes += got;
	if (n == 0 && write(fd, &got, sizeof(got)) != (ssize_t)sizeof(got))
		perror("responder: write");
	close(fd);
}

/*
 * Echo one datagram, from the address it was sent to: a DR or TUN real
 * server holds the VIP on lo, and the route's source would be its own.
 */
static void serve_udp(int fd)
{
	char buf[2048], cbuf[CMSG_SPACE(sizeof(struct in_pktinfo))];
	struct sockaddr_in from;
	struct iovec iov = { buf, sizeof(buf) };
	struct msghdr m = {
		.msg_name = &from, .msg_namelen = sizeof(from), .msg_iov = &iov,
		.msg_iovlen = 1, .msg_control = cbuf, .msg_controllen = sizeof(cbuf),
	};
	struct cmsghdr *c;
	ssize_t n = recvmsg(fd, &m, 0);

	if (n < 0)
		return;
	udp_dgrams++;
	udp_bytes += (uint64_t)n;
	for (c = CMSG_FIRSTHDR(&m); c; c = CMSG_NXTHDR(&m, c)) {
		if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_PKTINFO) {
			struct in_pktinfo *pi = (struct in_pktinfo *)CMSG_DATA(c);

			pi->ipi_spec_dst = pi->ipi_addr;
			pi->ipi_ifindex = 0;
		}
	}
	iov.iov_len = (size_t)n;
	m.msg_flags = 0;
	if (sendmsg(fd, &m, 0) != n)
		perror("responder: sendmsg");
}

int main(int argc, char **argv)
{
	struct pollfd pfd[2 * MAX_PORTS];
	struct sigaction sa = { .sa_handler = on_term };
	int nports = 0, sink = -1, opt, i;

	while ((opt = getopt(argc, argv, "k:")) != -1) {
		if (opt != 'k')
			goto usage;
		sink = bound_socket(SOCK_DGRAM, (unsigned short)atoi(optarg));
	}
	for (i = optind; i < argc && nports < MAX_PORTS; i++, nports++) {
		unsigned short port = (unsigned short)atoi(argv[i]);

		pfd[2 * nports] = (struct pollfd){ bound_socket(SOCK_STREAM, port), POLLIN, 0 };
		pfd[2 * nports + 1] = (struct pollfd){ bound_socket(SOCK_DGRAM, port), POLLIN, 0 };
	}
	if (nports == 0)
		goto usage;
	/* No SA_RESTART: poll() must return so the loop sees the flag. */
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);

	while (!stop) {
		if (poll(pfd, (nfds_t)(2 * nports), -1) < 0) {
			if (errno == EINTR)
				continue;
			die("poll");
		}
		for (i = 0; i < 2 * nports; i++) {
			if (!(pfd[i].revents & POLLIN))
				continue;
			if (i % 2 == 0)
				serve_tcp(pfd[i].fd);
			else
				serve_udp(pfd[i].fd);
		}
	}
	printf("tcp_conns %llu tcp_bytes %llu udp_dgrams %llu udp_bytes %llu\n",
	       (unsigned long long)tcp_conns, (unsigned long long)tcp_bytes,
	       (unsigned long long)udp_dgrams, (unsigned long long)udp_bytes);
	if (sink >= 0)
		close(sink);
	return 0;
usage:
	fprintf(stderr, "usage: responder [-k SINKPORT] PORT...\n");
	return 2;
}
