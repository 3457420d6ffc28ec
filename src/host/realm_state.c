/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The realm state machine's read and write helpers. realm_state_set() is the
 * only place the state changes (seeds/004: "a write version ... to see all
 * the locations of realm state changes"); it asserts that the transition is
 * one of host_priv.h's table, an internal invariant.
 */
#include <assert.h>

#include "host_priv.h"

enum realm_state realm_state(const struct host_vm *vm)
{
	return atomic_load_explicit(&vm->state, memory_order_acquire);
}

static bool transition_valid(enum realm_state from, enum realm_state to)
{
	switch (to) {
	case REALM_STATE_NEW:
		return from == REALM_STATE_NONE;
	case REALM_STATE_ACTIVE:
		return from == REALM_STATE_NEW;
	case REALM_STATE_DYING:
		return from == REALM_STATE_NEW || from == REALM_STATE_ACTIVE ||
		       from == REALM_STATE_DEAD;
	case REALM_STATE_DEAD:
		return from == REALM_STATE_NEW || from == REALM_STATE_DYING;
	default:
		return false;
	}
}

void realm_state_set(struct host_vm *vm, enum realm_state to)
{
	enum realm_state from = realm_state(vm);

	/* The write helper is the only place the state changes (seeds/004). */
	assert(transition_valid(from, to));
	(void)from;
	(void)transition_valid;
	atomic_store_explicit(&vm->state, to, memory_order_release);
}

const char *realm_state_name(enum realm_state s)
{
	static const char *const names[] = { "NONE", "NEW", "ACTIVE", "DYING", "DEAD" };

	return (unsigned int)s < 5 ? names[s] : "?";
}
