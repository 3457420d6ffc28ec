/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The run loop: one host thread per vCPU calling KVM_RUN, and the VMM's
 * handling of every exit the host passes up (kvm-cca-host.md s2.6):
 * MMIO to the devices, PSCI (vmm_psci.c), SMCCC host calls (hostcall.c),
 * RIPAS changes as memory faults, system events. The main thread waits for
 * the end (SYSTEM_OFF, an error, --timeout or Ctrl-C), stops every vCPU
 * and joins them before the VM is torn down.
 */
#ifndef REALMKIT_VMM_RUNTIME_H
#define REALMKIT_VMM_RUNTIME_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "devices.h"
#include "layout.h"
#include "trace.h"
#include "vmm.h"
#include "vmm_kvm.h"

/* Exit statuses of the run loop beyond vmm.h's. */
#define VMM_EXIT_TIMEOUT   124
#define VMM_EXIT_INTERRUPT 130

struct vmm_runtime;

struct vmm_vcpu {
	struct vmm_runtime *rt;
	unsigned int idx;
	pthread_t thread;
	bool started;
	bool on; /* the PSCI power state the VMM keeps (rt->lock) */
};

struct vmm_runtime {
	const struct vmm_config *cfg;
	const struct vmm_layout *layout;
	struct vmm_vm *vm;
	struct vmm_trace *trace;
	struct vmm_devices devices;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	bool stop;
	int status;
	char reason[256];
	bool hc_exit_set;
	uint64_t hc_exit_code;
	uint8_t *token; /* the last RK_HC_TOKEN */
	size_t token_len;
	unsigned int token_vcpu;
	_Atomic uint64_t n_mmio, n_hostcall, n_psci,
		n_ripas; /* exits, counted by every vCPU thread */
	struct vmm_vcpu vcpu[VMM_MAX_CPUS];
};

/* Prepares rt for a constructed VM (devices included). Returns 0 or -1 (err set). */
int runtime_init(struct vmm_runtime *rt, const struct vmm_config *cfg,
		 const struct vmm_layout *layout, struct vmm_vm *vm, struct vmm_err *err);
void runtime_fini(struct vmm_runtime *rt);

/*
 * Runs the realm until it stops; returns the exit status (rt->reason says
 * why). All vCPU threads have been joined when it returns true in
 * *joined; otherwise a vCPU did not leave KVM_RUN and the VM must not be
 * torn down.
 */
int runtime_run(struct vmm_runtime *rt, bool *joined);

/*
 * Ends the run with status and a reason, unless it has already ended.
 * status < 0: the guest's RK_HC_EXIT code (1 when above 255).
 */
void runtime_stop(struct vmm_runtime *rt, int status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Sets X0 of vCPU idx; on failure stops the run. Returns 0 or -1. */
int runtime_set_x0(struct vmm_runtime *rt, unsigned int idx, uint64_t x0);

/* PSCI function fid from vCPU v with X1..X6 = args (vmm_psci.c). Returns 0 or -1 (stopped). */
int vmm_psci_handle(struct vmm_vcpu *v, uint64_t fid, const uint64_t args[6]);

/* A host call (not PSCI) from vCPU v (hostcall.c). Returns 0 or -1 (stopped). */
int hostcall_handle(struct vmm_vcpu *v, uint64_t fid, const uint64_t args[6]);

#endif /* REALMKIT_VMM_RUNTIME_H */
