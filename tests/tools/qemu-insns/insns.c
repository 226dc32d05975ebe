// SPDX-License-Identifier: GPL-2.0
/*
 * insns: a QEMU TCG plugin that counts the instructions a guest executes,
 * for benchmarks whose timings are too noisy under TCG. Three counters,
 * classified by the address of each translated block: user space, the
 * kernel's core image and the module area (x86-64: 0xffffffffa0000000 up).
 * Each vCPU has its own counters (only its thread writes them).
 *
 * The guest asks for a reading by writing the file DIR/insns.req.N (one
 * line, a label; N counts the requests from 0, a new name each time, so
 * the guest's 9p client never meets a name the host removed) in a folder
 * the host shares with it. A thread of the plugin looks for the next
 * request every millisecond; once its line is complete it appends
 * "label user core modules" (the totals since boot) to DIR/insns.log and
 * removes the request, which tells the guest the reading is taken.
 *
 * With prof=on each reading also writes DIR/prof.LABEL: "pc instructions"
 * for every kernel block executed since the reading before (a profile by
 * block start address; the guest's /proc/kallsyms names them).
 *
 *   qemu-system-x86_64 ... -plugin ./insns.so,dir=/path/to/shared/folder
 */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <qemu-plugin.h>

QEMU_PLUGIN_EXPORT int qemu_plugin_version = QEMU_PLUGIN_VERSION;

#define MAX_VCPUS	64
#define KERNEL_START	0xffff800000000000ULL
/* with KASLR (Debian's kernels) the module area starts at 3 GiB below 0 */
#define MODULES_START	0xffffffffc0000000ULL

enum { C_USER, C_CORE, C_MODULES, C_NR };

/* one cache line per vCPU: no false sharing between their threads */
struct vcpu_count {
	uint64_t n[C_NR];
	uint64_t pad[8 - C_NR];
};

static struct vcpu_count counts[MAX_VCPUS];
static char dir_path[4000], log_path[4096];
static unsigned long next_req;

/* prof=on: a record per translated kernel block */
struct block {
	uint64_t pc;
	uint64_t n;
	uint64_t count;		/* instructions executed, since the last reading */
	unsigned int class;
	struct block *next;
};

static bool prof;
static struct block *blocks;
static pthread_mutex_t blocks_lock = PTHREAD_MUTEX_INITIALIZER;

static void block_exec(unsigned int vcpu, void *udata)
{
	struct block *b = udata;

	if (vcpu < MAX_VCPUS)
		counts[vcpu].n[b->class] += b->n;
	__atomic_fetch_add(&b->count, b->n, __ATOMIC_RELAXED);
}

static void tb_exec(unsigned int vcpu, void *udata)
{
	uintptr_t v = (uintptr_t)udata;

	if (vcpu < MAX_VCPUS)
		counts[vcpu].n[v & 3] += v >> 2;
}

static void tb_trans(qemu_plugin_id_t id, struct qemu_plugin_tb *tb)
{
	uint64_t pc = qemu_plugin_tb_vaddr(tb);
	uintptr_t n = qemu_plugin_tb_n_insns(tb);
	uintptr_t c = C_USER;

	(void)id;
	if (pc >= MODULES_START)
		c = C_MODULES;
	else if (pc >= KERNEL_START)
		c = C_CORE;
	if (prof && c != C_USER) {
		struct block *b = calloc(1, sizeof(*b));

		if (b) {
			b->pc = pc;
			b->n = n;
			b->class = c;
			pthread_mutex_lock(&blocks_lock);
			b->next = blocks;
			blocks = b;
			pthread_mutex_unlock(&blocks_lock);
			qemu_plugin_register_vcpu_tb_exec_cb(tb, block_exec,
							     QEMU_PLUGIN_CB_NO_REGS, b);
			return;
		}
	}
	qemu_plugin_register_vcpu_tb_exec_cb(tb, tb_exec, QEMU_PLUGIN_CB_NO_REGS,
					     (void *)(n << 2 | c));
}

static void total(uint64_t t[C_NR])
{
	int i, c;

	for (c = 0; c < C_NR; c++)
		t[c] = 0;
	for (i = 0; i < MAX_VCPUS; i++)
		for (c = 0; c < C_NR; c++)
			t[c] += __atomic_load_n(&counts[i].n[c], __ATOMIC_RELAXED);
}

/* prof=on: write the blocks' counts since the last reading, and zero them */
static void dump_prof(const char *label)
{
	char path[4096];
	struct block *b;
	uint64_t c;
	FILE *f;

	snprintf(path, sizeof(path), "%s/prof.%s", dir_path, label);
	f = fopen(path, "w");
	pthread_mutex_lock(&blocks_lock);
	for (b = blocks; b; b = b->next) {
		c = __atomic_exchange_n(&b->count, 0, __ATOMIC_RELAXED);
		if (c && f)
			fprintf(f, "%llx %llu\n", (unsigned long long)b->pc,
				(unsigned long long)c);
	}
	pthread_mutex_unlock(&blocks_lock);
	if (f)
		fclose(f);
}

/* Take a reading for a request, if there is one. */
static void serve(void)
{
	char label[256] = "", req[4096];
	uint64_t t[C_NR];
	FILE *f;

	snprintf(req, sizeof(req), "%s/insns.req.%lu", dir_path, next_req);
	f = fopen(req, "r");
	if (!f)
		return;
	total(t);
	/* not written yet (the guest created it a moment ago): next time */
	if (!fgets(label, sizeof(label), f) || !strchr(label, '\n')) {
		fclose(f);
		return;
	}
	fclose(f);
	label[strcspn(label, " \t\n")] = 0;
	f = fopen(log_path, "a");
	if (f) {
		fprintf(f, "%s %llu %llu %llu\n", label[0] ? label : "-",
			(unsigned long long)t[C_USER],
			(unsigned long long)t[C_CORE],
			(unsigned long long)t[C_MODULES]);
		fclose(f);
	}
	if (prof)
		dump_prof(label[0] ? label : "-");
	unlink(req);
	next_req++;
}

static void *watch(void *arg)
{
	(void)arg;
	for (;;) {
		serve();
		usleep(1000);
	}
	return NULL;
}

QEMU_PLUGIN_EXPORT int qemu_plugin_install(qemu_plugin_id_t id,
					   const qemu_info_t *info,
					   int argc, char **argv)
{
	const char *dir = NULL;
	pthread_t thr;
	int i;

	(void)info;
	for (i = 0; i < argc; i++) {
		if (!strncmp(argv[i], "dir=", 4)) {
			dir = argv[i] + 4;
		} else if (!strncmp(argv[i], "prof=", 5)) {
			if (!qemu_plugin_bool_parse("prof", argv[i] + 5, &prof)) {
				fprintf(stderr, "insns: bad '%s'\n", argv[i]);
				return -1;
			}
		} else {
			fprintf(stderr, "insns: unknown argument '%s'\n", argv[i]);
			return -1;
		}
	}
	if (!dir) {
		fprintf(stderr, "insns: dir=FOLDER is required\n");
		return -1;
	}
	snprintf(dir_path, sizeof(dir_path), "%s", dir);
	snprintf(log_path, sizeof(log_path), "%s/insns.log", dir);
	errno = pthread_create(&thr, NULL, watch, NULL);
	if (errno) {
		perror("insns: thread");
		return -1;
	}
	pthread_detach(thr);
	qemu_plugin_register_vcpu_tb_trans_cb(id, tb_trans);
	return 0;
}
