/* SPDX-License-Identifier: BSD-3-Clause */
/* Helpers for the VMM's unit tests: in-memory images and error checks. */
#ifndef REALMKIT_VMM_TEST_H
#define REALMKIT_VMM_TEST_H

#include <elf.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "vmm.h"

struct test_seg {
	uint64_t pa, va, memsz;
	const uint8_t *data;
	uint64_t filesz;
	uint32_t type;
};

/* Writes an ELF64 AArch64 executable into buf; returns its length. */
static inline size_t test_elf(uint8_t *buf, size_t cap, const struct test_seg *s, unsigned int n,
			      uint64_t entry)
{
	Elf64_Ehdr eh = { 0 };
	uint64_t off = sizeof(eh) + n * sizeof(Elf64_Phdr);

	memcpy(eh.e_ident, ELFMAG, SELFMAG);
	eh.e_ident[EI_CLASS] = ELFCLASS64;
	eh.e_ident[EI_DATA] = ELFDATA2LSB;
	eh.e_ident[EI_VERSION] = EV_CURRENT;
	eh.e_type = ET_EXEC;
	eh.e_machine = EM_AARCH64;
	eh.e_version = EV_CURRENT;
	eh.e_entry = entry;
	eh.e_phoff = sizeof(eh);
	eh.e_ehsize = sizeof(eh);
	eh.e_phentsize = sizeof(Elf64_Phdr);
	eh.e_phnum = (uint16_t)n;
	memset(buf, 0, cap);
	memcpy(buf, &eh, sizeof(eh));
	for (unsigned int i = 0; i < n; i++) {
		Elf64_Phdr ph = { .p_type = s[i].type ? s[i].type : PT_LOAD,
				  .p_flags = PF_R | PF_X,
				  .p_offset = off,
				  .p_vaddr = s[i].va ? s[i].va : s[i].pa,
				  .p_paddr = s[i].pa,
				  .p_filesz = s[i].filesz,
				  .p_memsz = s[i].memsz,
				  .p_align = 0x1000 };

		memcpy(buf + sizeof(eh) + i * sizeof(ph), &ph, sizeof(ph));
		if (s[i].data && off + s[i].filesz <= cap)
			memcpy(buf + off, s[i].data, s[i].filesz);
		off += s[i].filesz;
	}
	return (size_t)off;
}

/* The error carries status and a message containing needle. */
#define assert_err(err, st, needle)                                               \
	do {                                                                      \
		assert_int_equal((err).status, (st));                             \
		if (!strstr((err).msg, (needle)))                                 \
			fail_msg("message '%s' lacks '%s'", (err).msg, (needle)); \
	} while (0)

#endif /* REALMKIT_VMM_TEST_H */
