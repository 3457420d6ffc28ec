/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * `realmkit run`: kvmtool-cca's `lkvm run --realm` for realmkit. Builds the
 * realm with the construction sequence (construct.h) through the KVM-shaped
 * UAPI (vmm_kvm.h), runs it (runtime.h) and tears it down.
 */
#include <stdio.h>
#include <string.h>
#include <stdlib.h>

#include "board.h"
#include "cli.h"
#include "construct.h"
#include "options.h"
#include "runtime.h"
#include "trace.h"
#include "vmm_kvm.h"

static void report_teardown(const struct vmm_config *cfg, const struct rk_kvm_leak_report *rep,
			    bool have)
{
	if (!have) {
		if (cfg->debug)
			fprintf(stderr, "realmkit: the host gives no leak report\n");
		return;
	}
	if (rep->count == 0) {
		if (cfg->debug)
			fprintf(stderr, "realmkit: teardown complete, leak report empty\n");
		return;
	}
	fprintf(stderr,
		"realmkit: teardown leaked %llu granule(s):", (unsigned long long)rep->count);
	for (uint64_t i = 0; i < rep->count && i < RK_KVM_LEAK_REPORT_MAX; i++)
		fprintf(stderr, " 0x%llx", (unsigned long long)rep->pas[i]);
	fputc('\n', stderr);
}

static int run_realm(const struct vmm_config *cfg, const struct vmm_plan *plan, struct vmm_vm *vm,
		     struct vmm_err *err)
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
	if (status || cfg->debug)
		fprintf(stderr, "realmkit: %s; exit status %d\n", rt.reason, status);
	if (cfg->debug)
		fprintf(stderr,
			"realmkit: exits: %llu MMIO, %llu host calls, %llu PSCI, %llu memory "
			"faults\n",
			(unsigned long long)rt.n_mmio, (unsigned long long)rt.n_hostcall,
			(unsigned long long)rt.n_psci, (unsigned long long)rt.n_ripas);
	runtime_fini(&rt);
	if (!joined) {
		/* A vCPU is still inside the host: tearing the VM down would race it. */
		fprintf(stderr, "realmkit: exiting without teardown\n");
		fflush(NULL);
		_Exit(status ? status : VMM_EXIT_ERROR);
	}
	return status;
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

int cmd_run(int argc, char **argv)
{
	struct vmm_config cfg;
	struct vmm_err err = { 0 };
	struct rk_kvm_leak_report rep;
	struct vmm_trace *trace = NULL;
	struct vmm_plan plan;
	struct vmm_vm vm;
	bool have_rep;
	int r = options_parse(OPTIONS_RUN, argc, argv, &cfg, &err);

	if (r > 0)
		return 0;
	if (r < 0 || vmm_plan_build(&cfg, &plan, &err))
		goto out_err;
	if (cfg.trace_file && !(trace = trace_open(cfg.trace_file, cfg.nr_cpus, &err))) {
		vmm_plan_free(&plan);
		goto out_err;
	}
	/* Power the machine on: the platform and the RMM firmware, as on hardware. */
	r = power_on(cfg.ram_size, &err);
	if (r) {
		trace_close(trace);
		vmm_plan_free(&plan);
		goto out_err;
	}
	vmm_vm_init(&vm, trace, cfg.debug);
	r = run_realm(&cfg, &plan, &vm, &err);
	vmm_vm_destroy(&vm, &rep, &have_rep);
	report_teardown(&cfg, &rep, have_rep);
	board_power_off();
	trace_close(trace);
	vmm_plan_free(&plan);
	if (r >= 0)
		return r;
out_err:
	fprintf(stderr, "realmkit run: %s\n", err.msg);
	return err.status ? err.status : VMM_EXIT_ERROR;
}
