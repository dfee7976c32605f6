// SPDX-License-Identifier: GPL-2.0
/*
 * localise DIR FILE...: copy each FILE into DIR (a tmpfs) and bind-mount the
 * copy over the original, so that the guest opens it without a 9p round
 * trip. scripts/guest-init runs it at boot on the binaries and libraries the
 * tests start most often (the list comes from scripts/vm-run). Symlinks are
 * followed; a file that is missing or cannot be copied is left as it is:
 * this is only a speed-up. One process for the whole list, since every
 * process start in the guest costs tens of milliseconds under TCG.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

static int copy_fd(int in, int out)
{
	static char buf[1 << 16];
	ssize_t n;

	while ((n = read(in, buf, sizeof(buf))) > 0) {
		char *p = buf;

		while (n > 0) {
			ssize_t w = write(out, p, n);

			if (w < 0)
				return -1;
			p += w;
			n -= w;
		}
	}
	return n < 0 ? -1 : 0;
}

static int localise(const char *dir, unsigned int idx, const char *path)
{
	char real[PATH_MAX], dst[PATH_MAX];
	struct stat st;
	int in, out, ret;

	if (!realpath(path, real) || stat(real, &st) || !S_ISREG(st.st_mode))
		return -1;
	snprintf(dst, sizeof(dst), "%s/%u", dir, idx);
	in = open(real, O_RDONLY | O_CLOEXEC);
	if (in < 0)
		return -1;
	out = open(dst, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, st.st_mode & 07777);
	if (out < 0) {
		close(in);
		return -1;
	}
	ret = copy_fd(in, out);
	close(in);
	if (close(out) || ret || mount(dst, real, NULL, MS_BIND, NULL)) {
		unlink(dst);
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	unsigned int done = 0;
	int i;

	if (argc < 2) {
		fprintf(stderr, "usage: localise DIR FILE...\n");
		return 2;
	}
	if (mkdir(argv[1], 0755) && errno != EEXIST) {
		perror(argv[1]);
		return 1;
	}
	for (i = 2; i < argc; i++)
		if (!localise(argv[1], i, argv[i]))
			done++;
	printf("localise: %u of %d files in %s\n", done, argc - 2, argv[1]);
	return 0;
}
