/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Physical CPUs, the RMM's side (the public side is in realmkit/platform.h).
 * A physical CPU is a host thread that issues REC_ENTER; it owns one CPU
 * engine, created lazily and reused for every REC that thread runs
 * ("engines may be pooled and reused, but no REC state may live only in an
 * engine": the RMM loads the REC at every entry and saves it at every exit).
 * The engine is destroyed when the thread exits (a pthread key destructor)
 * or releases its CPU.
 *
 * A physical IRQ (platform_cpu_kick) sets the CPU's pending flag, kicks its
 * engine (engine_kick: the guest stops at the next block boundary) and wakes
 * a thread waiting in pcpu_wait_irq(). The flag stays set until the RMM
 * takes it with pcpu_irq_take() when it reports the IRQ exit.
 *
 * The generic counter: the engine's CNTVCT_EL0/CNTPCT_EL0 count at
 * PCPU_COUNTER_HZ (62.5 MHz, QEMU's GTIMER_SCALE of 16 ns) from the host's
 * CLOCK_MONOTONIC (measured on Unicorn 2.0.1: the guest's CNTVCT read lies
 * between two host clock reads / 16 taken around it), and CNTVOFF is 0.
 * pcpu_counter() reads the same counter from the host side.
 */
#ifndef REALMKIT_PCPU_H
#define REALMKIT_PCPU_H

#include <stdbool.h>
#include <stdint.h>

#include <realmkit/platform.h>

#include "engine.h"

#define PCPU_COUNTER_HZ	 62500000ULL
#define PCPU_COUNTER_NS	 16ULL /* ns per counter tick */
#define PCPU_NO_DEADLINE UINT64_MAX

/*
 * The engine of `cpu` (NULL: none), which must be the calling thread's CPU. Created on
 * first use; re-created when `epoch` differs from the epoch it was created
 * for (the RMM passes its boot epoch: after a new platform boot the memory
 * the old engine mapped is gone). Returns NULL if an engine cannot be
 * created.
 */
struct engine *pcpu_engine(struct platform_cpu *cpu, uint64_t epoch);

/*
 * A number that identifies cpu's current engine (0: none). Never reused, so
 * a state cached for one engine cannot be taken for a later one created at
 * the same address.
 */
uint64_t pcpu_engine_serial(struct platform_cpu *cpu);

/* Destroys the calling thread's engine after an engine failure (engine.h: -EIO). */
void pcpu_engine_discard(struct platform_cpu *cpu);

/* True while a physical IRQ is pending on cpu. */
bool pcpu_irq_pending(struct platform_cpu *cpu);

/* Takes (clears) the pending physical IRQ; returns whether one was pending. */
bool pcpu_irq_take(struct platform_cpu *cpu);

/*
 * Blocks the calling thread (whose CPU is `cpu`) until a physical IRQ is
 * pending or CLOCK_MONOTONIC reaches deadline_ns (PCPU_NO_DEADLINE: no
 * timeout). Returns true if an IRQ is pending.
 */
bool pcpu_wait_irq(struct platform_cpu *cpu, uint64_t deadline_ns);

/* CLOCK_MONOTONIC in ns. */
uint64_t pcpu_now_ns(void);

/* The generic counter (CNTVCT_EL0 as the engine reads it, CNTVOFF = 0). */
uint64_t pcpu_counter(void);

#endif /* REALMKIT_PCPU_H */
