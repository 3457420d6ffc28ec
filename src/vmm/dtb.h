/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The realm's device tree: generated with libfdt from the configuration
 * and the layout (memory, cpus with their MPIDRs, psci, the PL011, the
 * timer, the GIC of the fixed map, chosen), or taken from --dtb FILE after
 * validation. Either way it becomes a fixed 64 KB blob at the layout's
 * DTB address (kvm-cca-host.md s6.2), zero-padded, so its measurement
 * depends only on its bytes.
 */
#ifndef REALMKIT_VMM_DTB_H
#define REALMKIT_VMM_DTB_H

#include <stddef.h>
#include <stdint.h>

#include "layout.h"
#include "vmm.h"

/* Phandles of the generated tree. */
#define DTB_PHANDLE_CLK 1
#define DTB_PHANDLE_GIC 2
/* The UART's node path (chosen/stdout-path). */
#define DTB_UART_PATH "/pl011@1000000"

/*
 * Writes the generated DTB into buf[0..size) (size >= VMM_DTB_SIZE, the
 * rest zero). Returns 0, or -1 when it does not fit (err set).
 */
int dtb_generate(const struct vmm_config *cfg, const struct vmm_layout *l, uint8_t *buf,
		 size_t size, struct vmm_err *err);

/*
 * Checks that buf[0..len) is a usable flattened device tree:
 * fdt_check_header(), totalsize within len and within VMM_DTB_SIZE, and a
 * structure block libfdt can walk. Returns 0 or -1 (err set).
 */
int dtb_check(const uint8_t *buf, size_t len, struct vmm_err *err);

/*
 * Adds the "dtb" blob at l->dtb_gpa: a copy of user (validated with
 * dtb_check()) when user is not NULL, else the generated tree.
 */
int dtb_add_blob(const struct vmm_config *cfg, const struct vmm_layout *l, const uint8_t *user,
		 size_t user_len, struct vmm_blobs *blobs, struct vmm_err *err);

#endif /* REALMKIT_VMM_DTB_H */
