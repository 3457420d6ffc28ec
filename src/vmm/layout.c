/* SPDX-License-Identifier: BSD-3-Clause */
/* The realm memory map (layout.h; kvm-cca-host.md s6.2). */
#include <realmkit/abi/rmi.h>

#include "layout.h"

/* Bits needed to address v (v > 0). */
static unsigned int bits_for(uint64_t v)
{
	return 64u - (unsigned int)__builtin_clzll(v);
}

int layout_init(struct vmm_layout *l, const struct vmm_config *cfg, struct vmm_err *err)
{
	uint64_t end;

	*l = (struct vmm_layout){ .ram_base = VMM_RAM_BASE,
				  .ram_size = cfg->ram_size,
				  .nr_cpus = cfg->nr_cpus };
	if (cfg->nr_cpus < 1 || cfg->nr_cpus > VMM_MAX_CPUS)
		return vmm_errf(err, VMM_EXIT_USAGE, "--cpus: %u is not in 1..%u", cfg->nr_cpus,
				VMM_MAX_CPUS);
	/* s6.2: RAM size a multiple of 2 MB. */
	if (cfg->ram_size % VMM_SZ_2M)
		return vmm_errf(err, VMM_EXIT_USAGE, "--mem: %llu bytes is not a multiple of 2 MB",
				(unsigned long long)cfg->ram_size);
	if (cfg->ram_size < VMM_RAM_MIN || cfg->ram_size > VMM_RAM_MAX)
		return vmm_errf(err, VMM_EXIT_USAGE, "--mem: %llu MB is not in %llu MB..%llu GB",
				(unsigned long long)(cfg->ram_size >> 20), VMM_RAM_MIN >> 20,
				VMM_RAM_MAX >> 30);
	end = layout_ram_end(l);
	/* s6.2: DTB at 0x8FE00000, or 2 MB below the end of RAM if RAM < 256 MB. */
	l->dtb_gpa = cfg->ram_size < VMM_DTB_FIXED_MIN ? end - VMM_SZ_2M : VMM_DTB_FIXED_GPA;
	l->kernel_top = l->dtb_gpa;
	/*
	 * s6.2: IPA width >= 33 bits. kvmtool sizes it from the top of RAM plus
	 * one bit for the unprotected half ("max_ipa 8fffffff ipa_bits 33").
	 */
	l->ipa_bits = bits_for(end - 1) + 1;
	if (l->ipa_bits < 33)
		l->ipa_bits = 33;
	return 0;
}

int layout_place_initrd(struct vmm_layout *l, uint64_t size, struct vmm_err *err)
{
	uint64_t room = l->dtb_gpa - l->ram_base;

	if (size == 0)
		return vmm_errf(err, VMM_EXIT_ERROR, "initrd is empty");
	if (size > room)
		return vmm_errf(err, VMM_EXIT_ERROR,
				"initrd of %llu bytes does not fit below the DTB at 0x%llx "
				"(%llu bytes of RAM there)",
				(unsigned long long)size, (unsigned long long)l->dtb_gpa,
				(unsigned long long)room);
	/* s6.2: the initrd sits just below the DTB. */
	l->initrd_gpa = (l->dtb_gpa - size) & ~(VMM_INITRD_ALIGN - 1);
	l->initrd_size = size;
	l->kernel_top = l->initrd_gpa;
	return 0;
}

uint64_t layout_vcpu_mpidr(unsigned int idx)
{
	/* rmm-v1.0.md s7.5: index = Aff0[3:0] | Aff1 << 4 | Aff2 << 12 | Aff3 << 20. */
	return rmi_mpidr_to_vmpidr(rmi_rec_index_to_mpidr(idx)) & ~(1ULL << 31);
}

int layout_vcpu_of_mpidr(const struct vmm_layout *l, uint64_t mpidr)
{
	uint64_t idx;

	/* Only affinity bits may be set (bit 31 is RES1 in MPIDR_EL1). */
	if (mpidr & ~0xFF00FFFF0FULL & ~(1ULL << 31))
		return -1;
	idx = rmi_mpidr_el1_to_rec_index(mpidr);
	return idx < l->nr_cpus ? (int)idx : -1;
}
