// SPDX-License-Identifier: GPL-2.0
/*
 * insnprof: a qemu TCG plugin that counts the guest kernel's executed
 * instructions per translated block, and writes a snapshot of all counts
 * each time the guest executes a marker address (bench/insnprof/README).
 *
 *   -plugin insnprof.so,mark=0xffffffff8xxxxxxx,out=/path/prefix
 *
 * Snapshot k goes to PREFIX.k: a line "user N" (instructions executed in
 * user mode, all processes together), then "VADDR NINSNS COUNT" for every
 * kernel block that has run. The difference of two snapshots is the work
 * done between two marks. Counting is an inline add per block, so the
 * guest runs at nearly its usual speed; with one vCPU the counts are exact.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "plugin-abi.h"

PLUGIN_EXPORT int qemu_plugin_version = 1;

/* Blocks live in chunks that never move: qemu holds pointers to counts. */
#define CHUNK 65536
#define MAX_CHUNKS 256
#define HASH_BITS 22

struct block {
	uint64_t vaddr;
	uint64_t count;
	uint32_t n;
};

static struct block *chunks[MAX_CHUNKS];
static size_t nblocks;
static struct block **hash;
static uint64_t user_insns;
static uint64_t mark;
static const char *out;
static unsigned int snapshots;

static int kernel_addr(uint64_t va)
{
	return va >= 0xffff800000000000ull;
}

static struct block *block_get(uint64_t va, uint32_t n)
{
	size_t mask = ((size_t)1 << HASH_BITS) - 1;
	size_t i = (size_t)((va ^ (va >> 17) ^ ((uint64_t)n << 40)) *
			    0x9e3779b97f4a7c15ull >> (64 - HASH_BITS));
	struct block *b;

	for (;; i = (i + 1) & mask) {
		b = hash[i];
		if (!b)
			break;
		if (b->vaddr == va && b->n == n)
			return b;
	}
	if (nblocks >= (size_t)CHUNK * MAX_CHUNKS ||
	    nblocks >= mask / 2)
		return NULL;
	if (!chunks[nblocks / CHUNK]) {
		chunks[nblocks / CHUNK] = calloc(CHUNK, sizeof(struct block));
		if (!chunks[nblocks / CHUNK])
			return NULL;
	}
	b = &chunks[nblocks / CHUNK][nblocks % CHUNK];
	nblocks++;
	b->vaddr = va;
	b->n = n;
	hash[i] = b;
	return b;
}

static void snapshot(void)
{
	char path[4096];
	FILE *f;
	size_t i;

	snprintf(path, sizeof(path), "%s.%u", out, snapshots++);
	f = fopen(path, "w");
	if (!f) {
		perror(path);
		return;
	}
	fprintf(f, "user %" PRIu64 "\n", user_insns);
	for (i = 0; i < nblocks; i++) {
		struct block *b = &chunks[i / CHUNK][i % CHUNK];

		if (b->count)
			fprintf(f, "%" PRIx64 " %u %" PRIu64 "\n",
				b->vaddr, b->n, b->count);
	}
	fclose(f);
}

static void on_mark(unsigned int vcpu, void *udata)
{
	(void)vcpu;
	(void)udata;
	snapshot();
}

static void on_translate(qemu_plugin_id_t id, struct qemu_plugin_tb *tb)
{
	uint64_t va = qemu_plugin_tb_vaddr(tb);
	uint32_t n = (uint32_t)qemu_plugin_tb_n_insns(tb);
	struct block *b;

	(void)id;
	if (!kernel_addr(va)) {
		qemu_plugin_register_vcpu_tb_exec_inline(tb,
			QEMU_PLUGIN_INLINE_ADD_U64, &user_insns, n);
		return;
	}
	if (va == mark)
		qemu_plugin_register_vcpu_tb_exec_cb(tb, on_mark,
			QEMU_PLUGIN_CB_NO_REGS, NULL);
	b = block_get(va, n);
	if (b)
		qemu_plugin_register_vcpu_tb_exec_inline(tb,
			QEMU_PLUGIN_INLINE_ADD_U64, &b->count, 1);
}

static void on_exit(qemu_plugin_id_t id, void *udata)
{
	(void)id;
	(void)udata;
	fprintf(stderr, "insnprof: %zu kernel blocks, %u snapshots\n",
		nblocks, snapshots);
}

PLUGIN_EXPORT int qemu_plugin_install(qemu_plugin_id_t id,
				      const struct qemu_info_t *info,
				      int argc, char **argv)
{
	int i;

	(void)info;
	for (i = 0; i < argc; i++) {
		if (!strncmp(argv[i], "mark=", 5))
			mark = strtoull(argv[i] + 5, NULL, 0);
		else if (!strncmp(argv[i], "out=", 4))
			out = argv[i] + 4;
	}
	if (!mark || !out) {
		fprintf(stderr, "insnprof: needs mark=ADDR and out=PREFIX\n");
		return -1;
	}
	hash = calloc((size_t)1 << HASH_BITS, sizeof(*hash));
	if (!hash)
		return -1;
	qemu_plugin_register_vcpu_tb_trans_cb(id, on_translate);
	qemu_plugin_register_atexit_cb(id, on_exit, NULL);
	return 0;
}
