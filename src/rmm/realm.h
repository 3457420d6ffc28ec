/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The Realm Descriptor: lives in the RD granule (the RMM never allocates).
 *
 * Realm state (rmm-v1.0.md s9.2), RMI encoding:
 *   NEW         after REALM_CREATE; construction commands allowed.
 *   ACTIVE      after REALM_ACTIVATE; RECs may run; the RIM is frozen.
 *   SYSTEM_OFF  after PSCI SYSTEM_OFF/RESET from any REC; only teardown.
 * There is no destroyed state: REALM_DESTROY returns the RD to DELEGATED.
 *
 * Protection: the RD granule lock protects every field, except `state`,
 * which is also read without the lock (REC_ENTER) with acquire semantics
 * and written with release semantics under the lock (rmm-v1.0.md s16.4).
 * The RD's granule reference count is the number of RECs.
 */
#ifndef REALMKIT_RMM_REALM_H
#define REALMKIT_RMM_REALM_H

#include <assert.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <realmkit/abi/rmi.h>
#include <realmkit/addr.h>

#include "granule.h"

/*
 * The realm's execution lock (issue 4; unicorn-2.0.1.md s6): guest code of
 * one realm runs on one host thread at a time, because the CPU engines'
 * exclusives and atomics are not atomic between engines on different
 * threads. A FIFO ticket lock (fair: a vCPU that spins on its budget cannot
 * starve the others); waiters sleep on a futex. All zero is unlocked, so a
 * zero-filled RD holds a valid lock. Taken by the REC run loop (rec_run.c)
 * with no granule lock held, released at every exit, at WFI/WFE and at
 * budget expiry; RMM locks may be taken while holding it, never the reverse.
 */
struct realm_exec_lock {
	_Atomic uint32_t next;	  /* next ticket to hand out */
	_Atomic uint32_t serving; /* ticket that owns the lock */
};

/* REALM_CREATE: an unlocked lock. */
void realm_exec_lock_init(struct realm_exec_lock *l);
/* REALM_DESTROY: the lock must be unlocked with no waiter (no REC exists). */
void realm_exec_lock_fini(struct realm_exec_lock *l);
void realm_exec_lock(struct realm_exec_lock *l);
void realm_exec_unlock(struct realm_exec_lock *l);
/* For the holder: true if another thread waits for the lock. */
bool realm_exec_lock_contended(struct realm_exec_lock *l);

struct rd {
	_Atomic uint64_t state; /* RMI_REALM_STATE_* */
	uint64_t rec_count;	/* RECs ever created: the next REC index */
	uint64_t flags;		/* RmiRealmParams.flags as given (measured) */
	uint32_t s2sz;		/* IPA width */
	int32_t start_level;	/* RTT starting level */
	uint32_t num_root_rtts; /* concatenated root RTTs */
	uint16_t vmid;
	uint8_t algorithm; /* enum rmi_hash_algorithm */
	bool lpa2;
	uint64_t rtt_base; /* PA of the first root RTT */
	uint32_t sve_vl, num_bps, num_wps, pmu_num_ctrs;
	uint8_t rpv[RMI_RPV_SIZE];
	/* Slot 0 = RIM, 1..4 = REM[0..3]; bytes beyond the hash size are zero. */
	uint8_t measurement[RMM_MEASUREMENT_SLOTS][RMM_MAX_MEASUREMENT_SIZE];
	/* Not protected by the RD lock: see struct realm_exec_lock. */
	struct realm_exec_lock exec_lock;
};

static_assert(sizeof(struct rd) <= GRANULE_SIZE, "the RD fits its granule");

/* The RD in a locked (or referenced) RD granule. */
static inline struct rd *rd_of(struct granule *g)
{
	return (struct rd *)granule_map(g);
}

static inline uint64_t realm_state(const struct rd *rd)
{
	return atomic_load_explicit(&rd->state, memory_order_acquire);
}

/* The only place a realm's state changes (RD locked). */
static inline void realm_set_state(struct rd *rd, uint64_t s)
{
	atomic_store_explicit(&rd->state, s, memory_order_release);
}

/* Protected address range: ipa < 2^(s2sz - 1) (rmm-v1.0.md s0 "PAR"). */
static inline bool realm_ipa_in_par(const struct rd *rd, uint64_t ipa)
{
	return ipa < (1ULL << (rd->s2sz - 1));
}

/* ipa < 2^s2sz. */
static inline bool realm_ipa_in_range(const struct rd *rd, uint64_t ipa)
{
	return rd->s2sz >= 64 || ipa < (1ULL << rd->s2sz);
}

/*
 * Registry of live realms (for the invariant checker, which must enumerate
 * them): REALM_CREATE registers the RD, REALM_DESTROY unregisters it. One
 * slot per VMID (VMIDs of live realms are unique); a mutex-protected leaf
 * lock, so these may be called with granule locks held.
 */
void realm_registry_add(uint16_t vmid, pa_t rd);
void realm_registry_remove(uint16_t vmid);

/* Copies up to max live RD addresses (ascending VMID) to out; returns how many exist. */
size_t realm_registry_snapshot(pa_t *out, size_t max);

/*
 * Forgets every realm and frees every VMID: for RMM boot (granule tracking
 * restarts with every granule NS, so no realm survives).
 */
void realm_registry_reset(void);

/*
 * The RMM boot epoch: a number that changes at every RMM boot (bumped by
 * realm_registry_reset()). The REC run loop re-creates a thread's CPU
 * engine when the epoch changed since its creation (pcpu.h), because a new
 * boot may come with new platform memory.
 */
uint64_t rmm_boot_epoch(void);

#endif /* REALMKIT_RMM_REALM_H */
