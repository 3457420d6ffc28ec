/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The realm construction sequence, written once and driven through a back
 * end: the real one issues the KVM-shaped UAPI (vmm_kvm.h), the measuring
 * one computes the RIM the RMM will compute for the same calls
 * (measure.h). `run` and `measure` therefore cannot disagree about the
 * layout, the populate order or the initial registers.
 *
 * The sequence (kvm-cca-host.md s2, s6.2, s6.3):
 *   1. create the VM: realm type, IPA size, realm configuration (hash
 *      algorithm, RPV, SVE VL);
 *   2. one guest_memfd memslot over all of RAM;
 *   3. populate every blob, sorted by GPA, with MEASURE;
 *   4. create and initialise every vCPU (PSCI 0.2) in index order, then
 *      vCPU 0's PC (the entry point) and X0 (the DTB address);
 *   5. finish: the real back end leaves activation (REC creation,
 *      INIT_RIPAS, ACTIVATE) to the first KVM_RUN; the measuring back end
 *      models it.
 */
#ifndef REALMKIT_VMM_CONSTRUCT_H
#define REALMKIT_VMM_CONSTRUCT_H

#include <stdint.h>

#include "layout.h"
#include "vmm.h"

/* What the VMM asks of the VM (step 1). */
struct vmm_realm_cfg {
	unsigned int ipa_bits;
	uint32_t hash_algo; /* KVM_CAP_ARM_RMI_MEASURE_ALGO_* */
	uint8_t rpv[VMM_RPV_SIZE];
	unsigned int sve_vq; /* vector length / 128; 0 = no SVE */
	enum vmm_psci_mode psci;
	unsigned int nr_cpus;
};

/* A back end: each step returns 0 or -1 with err set. */
struct vmm_backend {
	const char *name;
	int (*create_vm)(void *be, const struct vmm_realm_cfg *rc, struct vmm_err *err);
	int (*add_ram)(void *be, uint64_t gpa, uint64_t size, struct vmm_err *err);
	int (*populate)(void *be, const struct vmm_blob *blob, uint32_t flags, struct vmm_err *err);
	int (*create_vcpu)(void *be, unsigned int idx, struct vmm_err *err);
	int (*set_reg)(void *be, unsigned int idx, uint64_t reg_id, uint64_t val,
		       struct vmm_err *err);
	int (*finish)(void *be, struct vmm_err *err);
};

/* Everything loaded and placed, ready to construct. */
struct vmm_plan {
	struct vmm_layout layout;
	struct vmm_blobs blobs; /* sorted by GPA, no overlaps */
	uint64_t entry;
};

/*
 * Builds a plan from in-memory images: kernel (required), initrd and a
 * user DTB (both optional, NULL). Returns 0 or -1 (err set; status
 * VMM_EXIT_USAGE for bad flag values, VMM_EXIT_ERROR for bad inputs).
 */
int vmm_plan_build_mem(const struct vmm_config *cfg, const uint8_t *kernel, size_t kernel_len,
		       const uint8_t *initrd, size_t initrd_len, const uint8_t *dtb, size_t dtb_len,
		       struct vmm_plan *plan, struct vmm_err *err);

/* vmm_plan_build_mem() with the files named by cfg->kernel, cfg->initrd, cfg->dtb_file. */
int vmm_plan_build(const struct vmm_config *cfg, struct vmm_plan *plan, struct vmm_err *err);

void vmm_plan_free(struct vmm_plan *plan);

/* The realm configuration derived from cfg and the plan's layout. */
void vmm_realm_cfg_of(const struct vmm_config *cfg, const struct vmm_plan *plan,
		      struct vmm_realm_cfg *rc);

/* Runs the construction sequence above through be. Returns 0 or -1 (err set). */
int vmm_construct(const struct vmm_config *cfg, const struct vmm_plan *plan,
		  const struct vmm_backend *be, void *ctx, struct vmm_err *err);

#endif /* REALMKIT_VMM_CONSTRUCT_H */
