/* SPDX-License-Identifier: BSD-3-Clause */
/* Errors, blob lists and file reading shared by every VMM module. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <realmkit/kvm.h>

#include "vmm.h"

int vmm_errf(struct vmm_err *err, int status, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return -1;
	err->status = status;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return -1;
}

void vmm_config_defaults(struct vmm_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->realm = true;
	cfg->nr_cpus = 1;
	cfg->ram_size = 256ULL << 20;
	cfg->hash_algo = KVM_CAP_ARM_RMI_MEASURE_ALGO_SHA256;
	cfg->psci = VMM_PSCI_IMPLICIT;
	cfg->console = VMM_CONSOLE_SERIAL;
}

int vmm_blobs_add(struct vmm_blobs *b, const char *name, uint64_t gpa, uint64_t size, uint8_t *data,
		  struct vmm_err *err)
{
	if (b->n == b->cap) {
		unsigned int cap = b->cap ? b->cap * 2 : 8;
		struct vmm_blob *v = realloc(b->v, cap * sizeof(*v));

		if (!v) {
			free(data);
			return vmm_errf(err, VMM_EXIT_ERROR, "out of memory");
		}
		b->v = v;
		b->cap = cap;
	}
	b->v[b->n++] = (struct vmm_blob){ .name = name, .gpa = gpa, .size = size, .data = data };
	return 0;
}

static int blob_cmp(const void *a, const void *b)
{
	const struct vmm_blob *x = a, *y = b;

	return x->gpa < y->gpa ? -1 : x->gpa > y->gpa;
}

int vmm_blobs_finish(struct vmm_blobs *b, struct vmm_err *err)
{
	if (b->n > 1)
		qsort(b->v, b->n, sizeof(b->v[0]), blob_cmp);
	for (unsigned int i = 1; i < b->n; i++) {
		const struct vmm_blob *p = &b->v[i - 1], *c = &b->v[i];

		if (p->gpa + p->size > c->gpa)
			return vmm_errf(err, VMM_EXIT_ERROR,
					"%s [0x%llx, 0x%llx) overlaps %s [0x%llx, 0x%llx)", p->name,
					(unsigned long long)p->gpa,
					(unsigned long long)(p->gpa + p->size), c->name,
					(unsigned long long)c->gpa,
					(unsigned long long)(c->gpa + c->size));
	}
	return 0;
}

void vmm_blobs_free(struct vmm_blobs *b)
{
	for (unsigned int i = 0; i < b->n; i++)
		free(b->v[i].data);
	free(b->v);
	b->v = NULL;
	b->n = b->cap = 0;
}

uint8_t *vmm_read_file(const char *path, uint64_t max, size_t *len, struct vmm_err *err)
{
	struct stat st;
	uint8_t *buf;
	FILE *f = fopen(path, "rb");

	if (!f) {
		vmm_errf(err, VMM_EXIT_ERROR, "%s: %s", path, strerror(errno));
		return NULL;
	}
	if (fstat(fileno(f), &st) || !S_ISREG(st.st_mode)) {
		vmm_errf(err, VMM_EXIT_ERROR, "%s: not a regular file", path);
		goto out_close;
	}
	if ((uint64_t)st.st_size > max) {
		vmm_errf(err, VMM_EXIT_ERROR, "%s: %lld bytes do not fit in guest RAM", path,
			 (long long)st.st_size);
		goto out_close;
	}
	buf = malloc(st.st_size ? (size_t)st.st_size : 1);
	if (!buf) {
		vmm_errf(err, VMM_EXIT_ERROR, "%s: out of memory", path);
		goto out_close;
	}
	if (fread(buf, 1, (size_t)st.st_size, f) != (size_t)st.st_size) {
		vmm_errf(err, VMM_EXIT_ERROR, "%s: read error", path);
		free(buf);
		goto out_close;
	}
	fclose(f);
	*len = (size_t)st.st_size;
	return buf;
out_close:
	fclose(f);
	return NULL;
}
