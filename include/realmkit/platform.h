/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The simulated platform as seen from Non-secure software (host and VMM):
 * the physical address map, the Non-secure view of DRAM, the Granule
 * Protection Fault reporter and the SMC conduit.
 *
 * Physical address map (one definition, used by platform, RMM and engine):
 *
 *   [RK_MMIO_BASE, +RK_MMIO_SIZE)   device window: not memory, not delegable
 *   [RK_DRAM_BASE, +dram_size)      DRAM, tracked by the RMM, one memfd:
 *       first RK_ROOT_CARVEOUT_SIZE    PAS Root (EL3 / RMM private pages)
 *       last RK_SECURE_CARVEOUT_SIZE   PAS Secure
 *       everything between             PAS NS at boot, the host's to use
 *   anything else below 2^RK_PA_WIDTH  no memory (reads fault)
 *   2^RK_PA_WIDTH and above           outside the permitted PA range
 *
 * The DRAM base is 2^40 because the CPU engine maps the same memory as its
 * physical address space and MMU-off fetches must stay below 2^44
 * (../shared/reference/unicorn-2.0.1.md, "M1 settings that work").
 */
#ifndef REALMKIT_PLATFORM_H
#define REALMKIT_PLATFORM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <realmkit/abi/smccc.h>
#include <realmkit/addr.h>

#define RK_PA_WIDTH		48
#define RK_DRAM_BASE		(1ULL << 40)
#define RK_DRAM_DEFAULT_SIZE	(1ULL << 30)
#define RK_DRAM_MIN_SIZE	(16ULL << 20)
#define RK_DRAM_MAX_SIZE	(64ULL << 30)
#define RK_ROOT_CARVEOUT_SIZE	(64ULL << 10)
#define RK_SECURE_CARVEOUT_SIZE (1ULL << 20)
#define RK_MMIO_BASE		0x08000000ULL
#define RK_MMIO_SIZE		0x08000000ULL
/* The platform's Non-secure UART (a PL011), inside the MMIO window. */
#define RK_NS_UART_PA 0x09000000ULL

/* Exit status of a process killed by a granule protection fault. */
#define RK_EXIT_GPF 71

/* Physical address space of a granule (Granule Protection Table entry). */
enum rk_pas {
	RK_PAS_NS = 0,
	RK_PAS_REALM = 1,
	RK_PAS_SECURE = 2,
	RK_PAS_ROOT = 3,
};

/* What a physical address is, for the spec's *_bound checks. */
enum rk_pa_class {
	RK_PA_DRAM,	    /* memory tracked by the RMM */
	RK_PA_MMIO,	    /* device window: not delegable */
	RK_PA_NONE,	    /* inside the PA range, nothing there */
	RK_PA_OUT_OF_RANGE, /* >= 2^RK_PA_WIDTH */
};

struct rk_platform_config {
	uint64_t dram_size; /* bytes, granule multiple; 0 = RK_DRAM_DEFAULT_SIZE */
};

/*
 * Creates the platform: DRAM (sparse memfd), both views, the GPT with the
 * carve-outs. Returns 0 or a negative errno. One platform per process, as
 * one machine per board.
 */
int platform_init(const struct rk_platform_config *cfg);

/* Releases everything platform_init() created. */
void platform_fini(void);

/* True once platform_init() has succeeded and until platform_fini(). */
bool platform_ready(void);

/* DRAM size in bytes. */
uint64_t platform_dram_size(void);

/* The DRAM range that is NS at boot and free for the host (excludes carve-outs). */
void platform_ns_dram_range(pa_t *base, uint64_t *size);

/* Classifies a physical address (see the map above). */
enum rk_pa_class platform_pa_class(pa_t pa);

/* The PAS the Granule Protection Table holds for a DRAM granule (RK_PAS_ROOT if not DRAM). */
enum rk_pas platform_pas(pa_t pa);

/* Name of a PAS ("NS", "REALM", "SECURE", "ROOT"). */
const char *platform_pas_name(enum rk_pas pas);

/*
 * Pointer into the Non-secure view of DRAM at pa, or NULL if pa is not DRAM.
 * Accessing a granule whose PAS is not NS through it raises a real fault,
 * reported as a granule protection fault (see platform_install_gpf_reporter).
 */
void *platform_ns_ptr(pa_t pa);

/*
 * Installs the host kernel's granule protection fault handling: a fault on
 * the NS view prints "granule protection fault: PA 0x... (PAS REALM)" to
 * stderr and terminates the process with RK_EXIT_GPF. Other faults keep
 * their default behaviour.
 */
void platform_install_gpf_reporter(void);

/*
 * The SMC conduit from Non-secure EL2: issues SMC #0 with X0 = fid and
 * X1..X6, returns X0..X4. RMI function IDs reach the RMM; any other ID is
 * answered with SMC_UNKNOWN in X0.
 */
struct smc_result smc_call(uint64_t fid, uint64_t x1, uint64_t x2, uint64_t x3, uint64_t x4,
			   uint64_t x5, uint64_t x6);

/*
 * Physical CPUs. Every thread that issues RMI_REC_ENTER is a physical CPU
 * of the platform: the RMM runs the REC on that thread, on the thread's own
 * CPU engine. A host keeps the handle of a vCPU thread's physical CPU so
 * that another thread can interrupt it, as KVM kicks a vCPU with an IPI: a
 * REC running there exits with RMI_EXIT_IRQ.
 */
struct platform_cpu;

/*
 * The calling thread's physical CPU, created at its first use. The handle
 * stays valid for the life of the process (it is never freed): when its
 * thread exits, the CPU is released (its engine destroyed) and a later
 * thread may be given the same CPU. Kicking a released CPU is harmless; the
 * next thread to get it may then see one spurious IRQ exit. NULL only if
 * the CPU cannot be created (out of memory); then REC_ENTER fails.
 */
struct platform_cpu *platform_this_cpu(void);

/*
 * Raises a physical IRQ on `cpu`; any thread may call it (not from a signal
 * handler: it takes the CPU's mutex). A REC running there exits with
 * RMI_EXIT_IRQ at the next translation-block boundary (PC at the next
 * instruction to execute), also from an untrapped WFI; a REC_ENTER issued
 * later on that CPU exits with IRQ before running anything. The interrupt
 * stays pending until an IRQ exit takes it: several kicks before that give
 * one exit, and no kick is lost.
 */
void platform_cpu_kick(struct platform_cpu *cpu);

/*
 * Releases the calling thread's physical CPU now (destroys its engine), as
 * thread exit does. For threads that exit through exit() (main) and for
 * tests; the next REC_ENTER on the thread acquires a CPU again.
 */
void platform_cpu_release(void);

#endif /* REALMKIT_PLATFORM_H */
