/* SPDX-License-Identifier: BSD-3-Clause */
/* State shared by the platform's own files. */
#ifndef REALMKIT_PLATFORM_PRIV_H
#define REALMKIT_PLATFORM_PRIV_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "platform_root.h"

struct platform {
	bool ready;
	int memfd;
	uint64_t dram_size;
	unsigned char *ns_view;	  /* host/VMM mapping; non-NS granules PROT_NONE */
	unsigned char *root_view; /* RMM/EL3/engine mapping; always RW */
	_Atomic uint8_t *gpt;	  /* enum rk_pas per granule */
	_Atomic uint8_t *ns_open; /* 1 if the granule's NS-view page was last mprotect()ed RW */
	atomic_uint gtsi_fail_count;
	_Atomic(rmi_handler_fn) rmm;
};

extern struct platform plat;

#endif /* REALMKIT_PLATFORM_PRIV_H */
