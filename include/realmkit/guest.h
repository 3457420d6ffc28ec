/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * realmkit's conventions between realm guests and the VMM, beyond the
 * specifications: the memory and MMIO map a realm sees (kvmtool's realm
 * layout, kvm-cca-host.md s6.2) and the vendor host calls test guests use
 * to report results. A host call carries an SMCCC function ID in gprs[0],
 * as KVM's hypercall forwarding expects; realmkit's own calls use the
 * Vendor Specific Hypervisor Service range (OEN 6).
 */
#ifndef REALMKIT_GUEST_H
#define REALMKIT_GUEST_H

/* Guest RAM starts here (kvmtool realm layout); images load at its base. */
#define RK_GUEST_RAM_BASE 0x80000000ULL
/* The PL011 UART's GPA, reached through the unprotected (shared) alias. */
#define RK_GUEST_UART_GPA 0x01000000ULL
/* DTB: fixed 64 KB at this GPA, or 2 MB below the end of RAM when RAM < 256 MB. */
#define RK_GUEST_DTB_GPA  0x8FE00000ULL
#define RK_GUEST_DTB_SIZE 0x10000ULL

/* Vendor host calls (gprs[0] = function ID, gprs[1..] = arguments). */
#define RK_HC_EXIT   0xC6000001u /* gprs[1] = exit code the VMM exits with */
#define RK_HC_REPORT 0xC6000002u /* gprs[1..6] = values recorded by the VMM */
#define RK_HC_TOKEN  0xC6000003u /* gprs[1] = IPA, gprs[2] = size of a CCA token */

#endif /* REALMKIT_GUEST_H */
