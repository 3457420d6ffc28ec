/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Granule tracking: one 16-bit descriptor per 4 KB granule of DRAM.
 *
 *   bit  15     lock (a spinlock on the bit; acquire on lock, release on unlock)
 *   bits 14:10  state (enum granule_state)
 *   bits  9:0   reference count
 *
 * States (DEN0137 1.0 A2.2; rmm-v1.0.md s9.1), who owns each, what protects
 * it and what the reference count counts:
 *
 *   NS         host's (PAS NS). Locked only while the RMM reads or writes it
 *              for a command, so that it cannot be delegated meanwhile.
 *   DELEGATED  RMM's, unused, PAS Realm. Always all zero while unlocked.
 *   RD         a Realm Descriptor. Lock protects its contents; refcount =
 *              number of RECs of the realm (atomic: REC_DESTROY does not lock it).
 *   REC        a Realm Execution Context. Refcount = 1 while the REC runs
 *              (set under the lock by REC_ENTER, released without it); a
 *              running REC is not protected by the lock.
 *   REC_AUX    auxiliary REC storage, accessed only through its REC.
 *   DATA       realm memory, referenced by exactly one RTT entry; never
 *              locked by the realm (the realm writes it).
 *   RTT        a stage-2 table. Lock protects its entries; refcount = number
 *              of TABLE entries plus protected ASSIGNED entries (pages or
 *              blocks) it holds (rmm-v1.0.md s16.3).
 *
 * The state cannot change while the reference count is non-zero.
 *
 * Lock order (rmm-v1.0.md s16.2): granules in an *external* state (NS,
 * DELEGATED, RD, REC: the states a command's arguments are expected in)
 * before *internal* ones (RTT, DATA, REC_AUX); external granules in
 * ascending PA order (granule_lock_pair); internal ones RTT -> DATA ->
 * REC_AUX; RTTs only within one tree, root to leaf, hand over hand.
 */
#ifndef REALMKIT_RMM_GRANULE_H
#define REALMKIT_RMM_GRANULE_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include <realmkit/addr.h>

/* TF-RMM numbering (rmm-v1.0.md s2). */
enum granule_state {
	GRANULE_STATE_NS = 0,
	GRANULE_STATE_DELEGATED = 1,
	GRANULE_STATE_RD = 2,
	GRANULE_STATE_REC = 3,
	GRANULE_STATE_REC_AUX = 4,
	GRANULE_STATE_DATA = 5,
	GRANULE_STATE_RTT = 6,
	GRANULE_STATE_COUNT
};

struct granule {
	_Atomic uint16_t desc;
};

#define GRANULE_LOCK_BIT     (1u << 15)
#define GRANULE_STATE_SHIFT  10
#define GRANULE_STATE_MASK   (0x1fu << GRANULE_STATE_SHIFT)
#define GRANULE_REFCOUNT_MAX 0x3ffu

/* Builds the tracking array for the platform's DRAM (all NS). 0 or -errno. */
int granules_init(void);
void granules_fini(void);

/* Name of a state ("NS", "DELEGATED", ...). */
const char *granule_state_name(enum granule_state s);

/*
 * The descriptor of the granule at pa, or NULL if pa is not 4 KB aligned or
 * is not tracked DRAM (the spec's *_align and *_bound conditions).
 */
struct granule *find_granule(pa_t pa);

/* Physical address of a tracked granule. */
pa_t granule_addr(const struct granule *g);

/* Root-view pointer to the granule's 4 KB (the RMM's own mapping). */
void *granule_map(const struct granule *g);

/* Zero-fills the granule through the root view. */
void granule_memzero(struct granule *g);

void granule_lock(struct granule *g);
void granule_unlock(struct granule *g);

/* State of a granule; stable only while locked or referenced. */
enum granule_state granule_get_state(const struct granule *g);

/* Sets the state of a locked granule. */
void granule_set_state(struct granule *g, enum granule_state s);

/* Locks g; if its state is not `expected`, unlocks it and returns false. */
bool granule_lock_on_state_match(struct granule *g, enum granule_state expected);

/*
 * find_granule + granule_lock_on_state_match: the locked granule, or NULL
 * (nothing locked) if the address is unaligned, untracked or in another state.
 */
struct granule *find_lock_granule(pa_t pa, enum granule_state expected);

/* Sets the new state of a locked granule and unlocks it. */
void granule_unlock_transition(struct granule *g, enum granule_state new_state);

/*
 * Locks two external granules in ascending PA order, each in its expected
 * state. Fails (nothing locked) if either lookup fails, the addresses are
 * equal, or a state does not match.
 */
bool find_lock_two_granules(pa_t pa1, enum granule_state s1, struct granule **g1, pa_t pa2,
			    enum granule_state s2, struct granule **g2);

/* Reference count, for the states that have one. */
unsigned int granule_refcount_read(const struct granule *g);
unsigned int granule_refcount_read_acquire(const struct granule *g);
void granule_refcount_inc(struct granule *g);
void granule_refcount_dec(struct granule *g);
void granule_refcount_add(struct granule *g, unsigned int n);
void granule_refcount_sub(struct granule *g, unsigned int n);
/* Store-release of refcount 0 (a REC leaving REC_ENTER). */
void granule_refcount_dec_release(struct granule *g);

/* Number of tracked granules, and the i-th (for the invariant checker). */
uint64_t granules_count(void);
struct granule *granule_at(uint64_t index);

#endif /* REALMKIT_RMM_GRANULE_H */
