/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The realm guest runtime: SMC wrappers for RSI, PSCI and SMCCC, host
 * calls, a PL011 console through the unprotected alias, per-CPU entry and
 * exception hooks. Freestanding AArch64 C; guests run at EL1.
 */
#ifndef REALMKIT_GUEST_RT_H
#define REALMKIT_GUEST_RT_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <realmkit/abi/psci.h>
#include <realmkit/abi/rsi.h>
#include <realmkit/guest.h>

#define RT_MAX_CPUS 16

/* Registers saved by the vectors (vectors.S lays it out). */
struct rt_frame {
	uint64_t x[31];
	uint64_t elr, spsr, esr, far;
};

/* X0..X8 after an SMC. */
struct rt_smc_ret {
	uint64_t x[9];
};

/* SMC #0 with X0 = fid and X1..X10 = a[0..9]; returns X0..X8. */
struct rt_smc_ret rt_smc(uint64_t fid, const uint64_t a[10]);
/* Shorthand for calls with up to four arguments. */
struct rt_smc_ret rt_smc4(uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4);

/* The realm's IPA width (from RSI_REALM_CONFIG at start-up) and the shared bit. */
extern unsigned int rt_ipa_width;
uint64_t rt_shared(uint64_t ipa);

/* Console on the PL011 at RK_GUEST_UART_GPA (shared alias). */
void rt_putc(char c);
void rt_puts(const char *s);
void rt_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void rt_vprintf(const char *fmt, va_list ap);

/* RSI_HOST_CALL with gprs[0] = fid, gprs[1..6] = a[0..5]; returns gprs[0] after the call. */
uint64_t rt_host_call(uint64_t fid, const uint64_t a[6], uint64_t out[7]);
/* Vendor host calls (include/realmkit/guest.h). */
void rt_report(uint64_t a, uint64_t b, uint64_t c);
/* Reports `code` to the VMM (RK_HC_EXIT), then PSCI SYSTEM_OFF. Does not return. */
void rt_exit(uint64_t code) __attribute__((noreturn));

/* PSCI. */
int64_t rt_psci_cpu_on(uint64_t mpidr, void (*fn)(uint64_t), uint64_t arg);
int64_t rt_psci_affinity_info(uint64_t mpidr);
void rt_psci_cpu_off(void) __attribute__((noreturn));
void rt_psci_system_off(void) __attribute__((noreturn));
void rt_psci_system_reset(void) __attribute__((noreturn));
/* MPIDR_EL1-layout affinity of REC index i. */
uint64_t rt_mpidr_of(unsigned int cpu);

/* The current CPU's REC index. */
unsigned int rt_cpu(void);

/*
 * Exception hook: called for every exception the guest takes; returns true
 * if handled (the frame, e.g. elr, may be changed). Unhandled exceptions
 * print the syndrome and exit with code 0xE0 + vector.
 */
typedef bool (*rt_exception_fn)(struct rt_frame *f, unsigned int vector);
void rt_set_exception_handler(rt_exception_fn fn);

/* Simple checks: on failure print and rt_exit(line number | 0x1000). */
#define RT_CHECK(cond)                                                                    \
	do {                                                                              \
		if (!(cond)) {                                                            \
			rt_printf("CHECK FAILED %s:%d: %s\n", __FILE__, __LINE__, #cond); \
			rt_exit(0x1000 | __LINE__);                                       \
		}                                                                         \
	} while (0)
#define RT_CHECK_EQ(a, b)                                                                      \
	do {                                                                                   \
		uint64_t a_ = (uint64_t)(a), b_ = (uint64_t)(b);                               \
		if (a_ != b_) {                                                                \
			rt_printf("CHECK FAILED %s:%d: %s == %s (0x%lx != 0x%lx)\n", __FILE__, \
				  __LINE__, #a, #b, a_, b_);                                   \
			rt_exit(0x1000 | __LINE__);                                            \
		}                                                                              \
	} while (0)

/* The guest's main, on CPU 0 (x0 = the DTB address the VMM passed). */
int main(uint64_t x0);

void *memset(void *s, int c, size_t n);
void *memcpy(void *d, const void *s, size_t n);
int memcmp(const void *a, const void *b, size_t n);

static inline uint64_t rt_read_mpidr(void)
{
	uint64_t v;

	__asm__ volatile("mrs %0, mpidr_el1" : "=r"(v));
	return v;
}

#endif /* REALMKIT_GUEST_RT_H */
