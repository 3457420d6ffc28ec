/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Image loaders: ELF64 AArch64 executables (PT_LOAD by p_paddr, .bss
 * zero-filled), arm64 Linux Images (the 64-byte header of
 * Documentation/arch/arm64/booting.rst) and raw binaries, plus the initrd.
 * Every loader works on an in-memory buffer (the fuzz target calls them
 * directly), checks every field against the buffer and the RAM window
 * before using it, and reports malformed input as an error, never a crash.
 */
#ifndef REALMKIT_VMM_LOADER_H
#define REALMKIT_VMM_LOADER_H

#include <stddef.h>
#include <stdint.h>

#include "layout.h"
#include "vmm.h"

enum loader_format {
	LOADER_ELF,
	LOADER_IMAGE,
	LOADER_RAW,
};

/* arm64 Image header (booting.rst): magic "ARM\x64" at 0x38. */
#define ARM64_IMAGE_MAGIC	0x644d5241u
#define ARM64_IMAGE_MAGIC_OFF	0x38
#define ARM64_IMAGE_HDR_SIZE	64
#define ARM64_IMAGE_FLAG_BE	(1ULL << 0)
#define ARM64_IMAGE_FLAG_ANY_PA (1ULL << 3)
/* booting.rst: image_size 0 means a pre-3.17 kernel with text_offset 0x80000. */
#define ARM64_IMAGE_OLD_TEXT_OFFSET 0x80000ULL

/* The format of buf: ELF magic, else the Image magic, else raw. */
enum loader_format loader_detect(const uint8_t *buf, size_t len);

/* Name of a format, for messages. */
const char *loader_format_name(enum loader_format f);

/*
 * Loads a kernel image into blobs (one blob per group of segments whose
 * pages touch), within [l->ram_base, l->kernel_top). *entry receives the
 * entry point's IPA. Returns 0, or -1 with err set (status
 * VMM_EXIT_ERROR) for any malformed or misplaced input.
 */
int loader_load_kernel(const uint8_t *buf, size_t len, const struct vmm_layout *l,
		       struct vmm_blobs *blobs, uint64_t *entry, struct vmm_err *err);

/*
 * Loads an initrd at l->initrd_gpa (placed by layout_place_initrd()).
 * Returns 0 or -1 (err set).
 */
int loader_load_initrd(const uint8_t *buf, size_t len, const struct vmm_layout *l,
		       struct vmm_blobs *blobs, struct vmm_err *err);

#endif /* REALMKIT_VMM_LOADER_H */
