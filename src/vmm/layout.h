/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The realm's guest-physical memory map, one definition used by `run` and
 * `measure`: kvmtool's realm layout for predictable measurement
 * (kvm-cca-host.md s6.2, veraison/cca-realm-measurements docs/realm-vm.md).
 *
 *   0x01000000  PL011 UART (MMIO, reached through the unprotected alias)
 *   0x03000000  virtio-mmio window (reserved; no devices yet)
 *   0x3FFF0000  GIC distributor (described in the DTB; not emulated)
 *   0x40000000  PCI ECAM (reserved)
 *   0x80000000  RAM (size a multiple of 2 MB); images load at its base
 *   ...         initrd, just below the DTB
 *   DTB         64 KB at 0x8FE00000, or 2 MB below the end of RAM when RAM < 256 MB
 */
#ifndef REALMKIT_VMM_LAYOUT_H
#define REALMKIT_VMM_LAYOUT_H

#include <stdint.h>

#include <realmkit/guest.h>

#include "vmm.h"

#define VMM_RAM_BASE	    RK_GUEST_RAM_BASE
#define VMM_RAM_MIN	    (4ULL << 20)
#define VMM_RAM_MAX	    (512ULL << 30)
#define VMM_DTB_SIZE	    RK_GUEST_DTB_SIZE
#define VMM_DTB_FIXED_GPA   RK_GUEST_DTB_GPA
#define VMM_DTB_FIXED_MIN   (256ULL << 20) /* RAM from which the DTB sits at the fixed GPA */
#define VMM_UART_BASE	    RK_GUEST_UART_GPA
#define VMM_UART_SIZE	    0x1000ULL
#define VMM_VIRTIO_BASE	    0x03000000ULL
#define VMM_GIC_DIST_BASE   0x3FFF0000ULL
#define VMM_GIC_DIST_SIZE   0x10000ULL
#define VMM_GIC_REDIST_SIZE 0x20000ULL /* per CPU, below the distributor (kvmtool) */
#define VMM_PCI_ECAM_BASE   0x40000000ULL
#define VMM_INITRD_ALIGN    VMM_PAGE_SIZE

struct vmm_layout {
	uint64_t ram_base, ram_size;
	uint64_t dtb_gpa;		  /* VMM_DTB_SIZE bytes */
	uint64_t initrd_gpa, initrd_size; /* initrd_size 0: no initrd */
	uint64_t kernel_top;		  /* the kernel must end at or below this */
	unsigned int ipa_bits;		  /* KVM_CREATE_VM IPA size, incl. the shared bit */
	unsigned int nr_cpus;
};

/*
 * Validates RAM size (a multiple of 2 MB, VMM_RAM_MIN..VMM_RAM_MAX) and the
 * CPU count (1..VMM_MAX_CPUS) and places the DTB. Returns 0 or -1 (err
 * set, status VMM_EXIT_USAGE: these come from flags).
 */
int layout_init(struct vmm_layout *l, const struct vmm_config *cfg, struct vmm_err *err);

/*
 * Places an initrd of size bytes just below the DTB (start aligned down to
 * VMM_INITRD_ALIGN) and lowers kernel_top to it. Returns 0, or -1 when it
 * does not fit in RAM (err set).
 */
int layout_place_initrd(struct vmm_layout *l, uint64_t size, struct vmm_err *err);

/* End of RAM (exclusive). */
static inline uint64_t layout_ram_end(const struct vmm_layout *l)
{
	return l->ram_base + l->ram_size;
}

/*
 * MPIDR_EL1 affinity (Aff0..Aff3, without RES1 bit 31) of vCPU idx: the
 * KVM default from the vCPU id, which is also the MPIDR whose REC index
 * (rmm-v1.0.md s7.5) is idx, so RECs are created in index order.
 */
uint64_t layout_vcpu_mpidr(unsigned int idx);

/* Inverse of layout_vcpu_mpidr() for an MPIDR_EL1-layout value; -1 if none of our vCPUs. */
int layout_vcpu_of_mpidr(const struct vmm_layout *l, uint64_t mpidr);

#endif /* REALMKIT_VMM_LAYOUT_H */
