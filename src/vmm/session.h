/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * One `realmkit run` from start to end, as a library call (used by
 * cmd_run.c and bench/bench_boot.c): read and place the images, power the
 * board on, predict the RIM with the measuring back end, construct the
 * realm through the UAPI, run it until it stops, tear it down, power off.
 * Wall-clock time is split into the phases of a realm's life.
 */
#ifndef REALMKIT_VMM_SESSION_H
#define REALMKIT_VMM_SESSION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <realmkit/kvm.h>

#include "vmm.h"

/*
 * Phases, in ms of CLOCK_MONOTONIC:
 *   setup       reading the images, the plan and RIM prediction, powering
 *               the board on, KVM_CREATE_VM, realm configuration, memslot;
 *   populate    every KVM_ARM_RMI_POPULATE;
 *   activation  vCPU creation and registers, then the host's activation in
 *               the first KVM_RUN (RECs, INIT_RIPAS, REALM_ACTIVATE), up
 *               to the end of RMI_REALM_ACTIVATE as the RMI observer sees
 *               it (activation_known false when the host has no observer:
 *               activation is then counted in run);
 *   run         from there until every vCPU thread has been joined;
 *   teardown    destroying the VM (the host's teardown) and powering off.
 */
struct vmm_phases {
	double setup_ms, populate_ms, activation_ms, run_ms, teardown_ms;
	bool activation_known;
};

struct vmm_session {
	int status;	  /* the exit status (runtime.h, vmm.h) */
	char reason[256]; /* why the realm stopped */
	bool ran;	  /* the realm was constructed and run */
	uint8_t rim[64];  /* the RIM predicted by the measuring back end */
	size_t rim_len;	  /* 32 (SHA-256) or 64 (SHA-512) */
	uint8_t *token;	  /* the last RK_HC_TOKEN (malloc'd) or NULL */
	size_t token_len;
	unsigned int token_vcpu;
	uint64_t n_mmio, n_hostcall, n_psci, n_ripas, n_rmi;
	struct rk_kvm_leak_report leak;
	bool have_leak; /* the host gave a leak report */
	struct vmm_phases t;
};

/*
 * Runs the realm cfg describes. Returns 0 when it ran (s->status is the
 * realm's exit status, s->reason why it stopped), or -1 when it could not
 * be built or started (err set). Free s with vmm_session_fini().
 */
int vmm_session_run(const struct vmm_config *cfg, struct vmm_session *s, struct vmm_err *err);

void vmm_session_fini(struct vmm_session *s);

#endif /* REALMKIT_VMM_SESSION_H */
