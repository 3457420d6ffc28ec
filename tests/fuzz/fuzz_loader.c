/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer target for the VMM's image and DTB input paths (src/vmm
 * loader.c, fdt.c, construct.c): the input is tried as a kernel image
 * (ELF / arm64 Image / raw), as an initrd and as a --dtb file. Every
 * attempt must either fail with a message or give a plan whose blobs are
 * page-aligned, inside guest RAM, sorted, disjoint, with the entry point
 * inside a loaded blob; never a crash or an out-of-bounds access.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "construct.h"
#include "dtb.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A 4-instruction raw kernel for the initrd and DTB attempts. */
static const uint8_t tiny_kernel[16] = { 0x1f, 0x20, 0x03, 0xd5, 0x1f, 0x20, 0x03, 0xd5,
					 0x1f, 0x20, 0x03, 0xd5, 0x00, 0x00, 0x00, 0x14 };

static void check_plan(const struct vmm_plan *p)
{
	const struct vmm_layout *l = &p->layout;
	bool entry_in = false;

	for (unsigned int i = 0; i < p->blobs.n; i++) {
		const struct vmm_blob *b = &p->blobs.v[i];

		if (b->gpa % VMM_PAGE_SIZE || b->size % VMM_PAGE_SIZE || b->size == 0)
			__builtin_trap();
		if (b->gpa < l->ram_base || b->gpa + b->size > layout_ram_end(l))
			__builtin_trap();
		if (i && p->blobs.v[i - 1].gpa + p->blobs.v[i - 1].size > b->gpa)
			__builtin_trap();
		if (p->entry >= b->gpa && p->entry < b->gpa + b->size && strcmp(b->name, "dtb"))
			entry_in = true;
	}
	if (!entry_in)
		__builtin_trap();
}

static void attempt(const struct vmm_config *cfg, const uint8_t *k, size_t kl, const uint8_t *i,
		    size_t il, const uint8_t *d, size_t dl)
{
	struct vmm_err err = { 0 };
	struct vmm_plan plan;

	if (vmm_plan_build_mem(cfg, k, kl, i, il, d, dl, &plan, &err) == 0) {
		check_plan(&plan);
		vmm_plan_free(&plan);
	} else if (err.msg[0] == '\0' || (err.status != 1 && err.status != 2)) {
		__builtin_trap(); /* every failure carries a message and a status */
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vmm_config cfg;

	vmm_config_defaults(&cfg);
	cfg.ram_size = 8ULL << 20; /* small RAM: the DTB sits 2 MB below its end */
	cfg.nr_cpus = 2;
	attempt(&cfg, data, size, NULL, 0, NULL, 0);
	attempt(&cfg, tiny_kernel, sizeof(tiny_kernel), data, size, NULL, 0);
	attempt(&cfg, tiny_kernel, sizeof(tiny_kernel), NULL, 0, data, size);
	return 0;
}
