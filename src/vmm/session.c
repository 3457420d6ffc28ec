/* SPDX-License-Identifier: BSD-3-Clause */
/* One realm from start to end, with its phases timed (session.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "board.h"
#include "construct.h"
#include "measure.h"
#include "runtime.h"
#include "session.h"
#include "trace.h"
#include "vmm_kvm.h"

static double ms(uint64_t from_ns, uint64_t to_ns)
{
	return to_ns > from_ns ? (double)(to_ns - from_ns) / 1e6 : 0.0;
}

/* The RIM the realm will have: the same plan through the measuring back end. */
static int predict_rim(const struct vmm_config *cfg, const struct vmm_plan *plan,
		       struct vmm_session *s, struct vmm_err *err)
{
	struct measure *m = measure_new(false);
	const uint8_t *rim;
	int r;

	if (!m)
		return vmm_errf(err, VMM_EXIT_ERROR, "out of memory");
	r = vmm_construct(cfg, plan, &measure_backend, m, err);
	if (!r) {
		rim = measure_rim(m, &s->rim_len);
		memcpy(s->rim, rim, s->rim_len);
	}
	measure_free(m);
	return r;
}

/*
 * DRAM for the board: the realm's private memory (guest_memfd), its shared
 * backing, the populate sources and the RMM's metadata (RTTs, RECs), with
 * room to spare. The memfd is sparse, so untouched DRAM costs nothing.
 */
static int power_on(uint64_t ram_size, struct vmm_err *err)
{
	struct rk_platform_config pc = { .dram_size = 3 * ram_size + (256ULL << 20) };
	int rc;

	if (pc.dram_size > RK_DRAM_MAX_SIZE)
		pc.dram_size = RK_DRAM_MAX_SIZE;
	rc = board_power_on(&pc, true);
	if (rc)
		return vmm_errf(err, VMM_EXIT_ERROR, "powering on the platform: %s", strerror(-rc));
	return 0;
}

/* Takes what the run left in rt: status, reason, counters, the token. */
static void collect(struct vmm_session *s, struct vmm_runtime *rt, int status)
{
	s->status = status;
	snprintf(s->reason, sizeof(s->reason), "%s", rt->reason);
	s->n_mmio = rt->n_mmio;
	s->n_hostcall = rt->n_hostcall;
	s->n_psci = rt->n_psci;
	s->n_ripas = rt->n_ripas;
	s->token = rt->token;
	s->token_len = rt->token_len;
	s->token_vcpu = rt->token_vcpu;
	rt->token = NULL;
}

/* Constructs and runs; fills s. Returns 0, or -1 (err set) when the realm did not run. */
static int construct_and_run(const struct vmm_config *cfg, const struct vmm_plan *plan,
			     struct vmm_vm *vm, struct vmm_session *s, struct vmm_err *err)
{
	struct vmm_runtime rt;
	uint64_t t0 = trace_now_ns();
	bool joined;
	int status;

	if (vmm_construct(cfg, plan, &kvm_backend, vm, err))
		return -1;
	trace_span(vm->trace, TRACE_HOST, "construct", t0, trace_now_ns(), NULL);
	if (runtime_init(&rt, cfg, &plan->layout, vm, err))
		return -1;
	status = runtime_run(&rt, &joined);
	fflush(stdout);
	s->ran = true;
	collect(s, &rt, status);
	runtime_fini(&rt);
	if (!joined) {
		/* A vCPU is still inside the host: tearing the VM down would race it. */
		fprintf(stderr, "realmkit: %s; exit status %d\n", s->reason, status);
		fprintf(stderr,
			"realmkit: a vCPU did not leave KVM_RUN; exiting without teardown\n");
		fflush(NULL);
		_Exit(status ? status : VMM_EXIT_ERROR);
	}
	return 0;
}

static void phases(struct vmm_session *s, const struct vmm_vm *vm, uint64_t t_start,
		   uint64_t t_run_end, uint64_t t_end)
{
	uint64_t act = atomic_load(&vm->activated_ns);

	s->t.setup_ms = ms(t_start, vm->populate_start_ns);
	s->t.populate_ms = ms(vm->populate_start_ns, vm->populate_end_ns);
	s->t.activation_known = act != 0;
	if (!act)
		act = vm->populate_end_ns;
	s->t.activation_ms = ms(vm->populate_end_ns, act);
	s->t.run_ms = ms(act, t_run_end);
	s->t.teardown_ms = ms(t_run_end, t_end);
	s->n_rmi = atomic_load(&vm->n_rmi);
}

int vmm_session_run(const struct vmm_config *cfg, struct vmm_session *s, struct vmm_err *err)
{
	uint64_t t_start = trace_now_ns(), t_run_end;
	struct vmm_trace *trace = NULL;
	struct vmm_plan plan;
	struct vmm_vm vm;
	int r = -1;

	memset(s, 0, sizeof(*s));
	if (vmm_plan_build(cfg, &plan, err))
		return -1;
	if (predict_rim(cfg, &plan, s, err))
		goto out_plan;
	if (cfg->trace_file && !(trace = trace_open(cfg->trace_file, cfg->nr_cpus, err)))
		goto out_plan;
	/* Power the machine on: the platform and the RMM firmware, as on hardware. */
	if (power_on(cfg->ram_size, err))
		goto out_trace;
	vmm_vm_init(&vm, trace, cfg->debug);
	r = construct_and_run(cfg, &plan, &vm, s, err);
	t_run_end = trace_now_ns();
	vmm_vm_destroy(&vm, &s->leak, &s->have_leak);
	board_power_off();
	phases(s, &vm, t_start, t_run_end, trace_now_ns());
out_trace:
	trace_close(trace);
out_plan:
	vmm_plan_free(&plan);
	return r;
}

void vmm_session_fini(struct vmm_session *s)
{
	free(s->token);
	s->token = NULL;
}
