// SPDX-License-Identifier: GPL-2.0
/*
 * ipvsadm (ipvs-ng): entry point.  Like upstream, the kernel interface is
 * initialised (loading ip_vs if needed) before the command line is read.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include "ipvsadm.h"

static int modprobe_ipvs(void)
{
	char *const argv[] = { "/sbin/modprobe", "--", "ip_vs", NULL };
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		execv(argv[0], argv);
		_exit(1);
	}
	if (pid < 0 || waitpid(pid, &status, 0) < 0)
		return -1;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

/* ipvsadm reports why the (legacy) sockopt interface is unusable. */
static int sockopt_errno(void)
{
	struct ip_vs_getinfo gi;
	socklen_t len = sizeof(gi);
	int fd = socket(AF_INET, SOCK_RAW, IPPROTO_RAW), err;

	if (fd < 0)
		return errno;
	err = getsockopt(fd, IPPROTO_IP, IP_VS_SO_GET_INFO, &gi, &len) ?
	      errno : ENOPROTOOPT;
	close(fd);
	return err;
}

static int init(void)
{
	if (vs_nl_open() < 0)
		return -1;
	return vs_get_info(&vs_kinfo);
}

int main(int argc, char **argv)
{
	int ret;

	vs_progname = argv[0];
	if (init() < 0) {
		int err = sockopt_errno();

		if (modprobe_ipvs() < 0 || init() < 0)
			vs_fail(2, "Can't initialize ipvs: %s\n"
				"Are you sure that IP Virtual Server is built "
				"in the kernel or as module?",
				vs_strerror(OP_NONE, err));
	}
	if (vs_kinfo.version < ((1 << 16) | (2 << 8)))
		fprintf(stderr, "Warning: IPVS version mismatch: \n"
			"  Kernel compiled with IPVS version %d.%d.%d\n"
			"  ipvsadm " VS_PROGRAM_VERSION
			"  requires minimum IPVS version %d.%d.%d\n\n",
			(vs_kinfo.version >> 16) & 0xff,
			(vs_kinfo.version >> 8) & 0xff, vs_kinfo.version & 0xff,
			1, 2, 0);

	if (argc == 1) {
		vs_list_all(0);
		ret = 0;
	} else {
		ret = vs_run(argc, argv, 0);
	}
	vs_nl_close();
	return ret;
}
