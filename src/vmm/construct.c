/* SPDX-License-Identifier: BSD-3-Clause */
/* The construction sequence (construct.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <realmkit/kvm.h>

#include "construct.h"
#include "dtb.h"
#include "loader.h"

int vmm_plan_build_mem(const struct vmm_config *cfg, const uint8_t *kernel, size_t kernel_len,
		       const uint8_t *initrd, size_t initrd_len, const uint8_t *dtb, size_t dtb_len,
		       struct vmm_plan *plan, struct vmm_err *err)
{
	memset(plan, 0, sizeof(*plan));
	if (layout_init(&plan->layout, cfg, err))
		return -1;
	if (initrd) {
		if (layout_place_initrd(&plan->layout, initrd_len, err) ||
		    loader_load_initrd(initrd, initrd_len, &plan->layout, &plan->blobs, err))
			goto out_free;
	}
	if (loader_load_kernel(kernel, kernel_len, &plan->layout, &plan->blobs, &plan->entry, err))
		goto out_free;
	if (cfg->debug)
		fprintf(stderr, "realmkit: kernel: %s of %zu bytes, entry 0x%llx\n",
			loader_format_name(loader_detect(kernel, kernel_len)), kernel_len,
			(unsigned long long)plan->entry);
	/* The DTB is built last: it describes the initrd's final place. */
	if (dtb_add_blob(cfg, &plan->layout, dtb, dtb_len, &plan->blobs, err))
		goto out_free;
	/* kvm-cca-host.md s6.3: populate sorted by GPA. */
	if (vmm_blobs_finish(&plan->blobs, err))
		goto out_free;
	return 0;
out_free:
	vmm_plan_free(plan);
	return -1;
}

int vmm_plan_build(const struct vmm_config *cfg, struct vmm_plan *plan, struct vmm_err *err)
{
	uint8_t *k = NULL, *i = NULL, *d = NULL;
	size_t kl = 0, il = 0, dl = 0;
	int r = -1;

	if (!cfg->kernel)
		return vmm_errf(err, VMM_EXIT_USAGE, "no kernel image: use -k/--kernel FILE");
	k = vmm_read_file(cfg->kernel, cfg->ram_size, &kl, err);
	if (!k)
		return -1;
	if (cfg->initrd && !(i = vmm_read_file(cfg->initrd, cfg->ram_size, &il, err)))
		goto out;
	if (cfg->dtb_file && !(d = vmm_read_file(cfg->dtb_file, 1u << 24, &dl, err)))
		goto out;
	r = vmm_plan_build_mem(cfg, k, kl, i, il, d, dl, plan, err);
out:
	free(k);
	free(i);
	free(d);
	return r;
}

void vmm_plan_free(struct vmm_plan *plan)
{
	vmm_blobs_free(&plan->blobs);
}

void vmm_realm_cfg_of(const struct vmm_config *cfg, const struct vmm_plan *plan,
		      struct vmm_realm_cfg *rc)
{
	memset(rc, 0, sizeof(*rc));
	rc->ipa_bits = plan->layout.ipa_bits;
	rc->hash_algo = cfg->hash_algo;
	memcpy(rc->rpv, cfg->rpv, sizeof(rc->rpv));
	rc->sve_vq = cfg->sve_vl / 128;
	rc->psci = cfg->psci;
	rc->nr_cpus = plan->layout.nr_cpus;
}

int vmm_construct(const struct vmm_config *cfg, const struct vmm_plan *plan,
		  const struct vmm_backend *be, void *ctx, struct vmm_err *err)
{
	const struct vmm_layout *l = &plan->layout;
	struct vmm_realm_cfg rc;

	vmm_realm_cfg_of(cfg, plan, &rc);
	if (be->create_vm(ctx, &rc, err) || be->add_ram(ctx, l->ram_base, l->ram_size, err))
		return -1;
	/* s6.3: ascending GPA, every blob measured (the DTB too, as kvmtool does). */
	for (unsigned int i = 0; i < plan->blobs.n; i++)
		if (be->populate(ctx, &plan->blobs.v[i], KVM_ARM_RMI_POPULATE_FLAGS_MEASURE, err))
			return -1;
	for (unsigned int i = 0; i < l->nr_cpus; i++)
		if (be->create_vcpu(ctx, i, err))
			return -1;
	/* Linux boot protocol: X0 = DTB; secondaries get theirs from PSCI CPU_ON. */
	if (be->set_reg(ctx, 0, KVM_REG_ARM64_PC, plan->entry, err) ||
	    be->set_reg(ctx, 0, KVM_REG_ARM64_X(0), l->dtb_gpa, err))
		return -1;
	return be->finish(ctx, err);
}
