/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * `realmkit run`: kvmtool-cca's `lkvm run --realm` for realmkit. Runs the
 * realm (session.h) and then prints, on stderr after the guest's console
 * output: the RIM the realm was built with, a summary of the attestation
 * token the realm handed over (RK_HC_TOKEN), verified with the verifier of
 * `realmkit token verify`, and the wall time of each phase.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "options.h"
#include "session.h"
#include "token_decode.h"
#include "token_verify.h"

static void print_hex(FILE *f, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		fprintf(f, "%02x", p[i]);
}

static void report_teardown(const struct vmm_config *cfg, const struct vmm_session *s)
{
	const struct rk_kvm_leak_report *rep = &s->leak;

	if (!s->have_leak) {
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

/* Collects the verifier's checks: the first failure is kept for the summary. */
struct checks {
	unsigned int passed;
	char failed[384];
};

static void note_check(void *opaque, bool ok, const char *check, const char *text)
{
	struct checks *c = opaque;

	if (ok)
		c->passed++;
	else
		snprintf(c->failed, sizeof(c->failed), "%s: %s", check, text);
}

static void print_claim(const char *name, struct cca_span v)
{
	fprintf(stderr, "  %-10s ", name);
	print_hex(stderr, v.p, v.len);
	fputc('\n', stderr);
}

/*
 * The token: decoded and verified (signatures with realmkit's test CPAK,
 * binding, profiles, the RPV the realm was given and the predicted RIM).
 * Returns 0 when every check passed.
 */
static int report_token(const struct vmm_config *cfg, const struct vmm_session *s)
{
	static struct cca_token t;
	struct cca_expect e = { .has_rpv = true, .has_rim = true, .rim_len = s->rim_len };
	struct checks c = { 0 };
	char err[256];
	const struct cca_realm_claims *r = &t.rclaims;

	fprintf(stderr, "token      %zu bytes from vCPU %u (RK_HC_TOKEN)\n", s->token_len,
		s->token_vcpu);
	if (cca_token_decode(s->token, s->token_len, &t, err, sizeof(err))) {
		fprintf(stderr, "  FAILED to decode: %s\n", err);
		return 1;
	}
	memcpy(e.rpv, cfg->rpv, sizeof(e.rpv));
	memcpy(e.rim, s->rim, s->rim_len);
	print_claim("challenge", r->challenge);
	fprintf(stderr, "  %-10s %s\n", "RIM",
		r->rim.len == s->rim_len && !memcmp(r->rim.p, s->rim, s->rim_len)
			? "matches the prediction"
			: "DIFFERS from the prediction");
	print_claim("RPV", r->rpv);
	print_claim("REM0", r->rems[0]);
	if (cca_token_verify(&t, &e, note_check, &c)) {
		fprintf(stderr, "  verify     FAILED %s\n", c.failed);
		return 1;
	}
	fprintf(stderr,
		"  verify     OK (%u checks: CPAK and RAK signatures, platform binding, profiles, "
		"RPV, RIM)\n",
		c.passed);
	return 0;
}

static void report(const struct vmm_config *cfg, const struct vmm_session *s)
{
	const struct vmm_phases *t = &s->t;

	fprintf(stderr, "realmkit: %s; exit status %d\n", s->reason, s->status);
	if (cfg->debug)
		fprintf(stderr,
			"realmkit: exits: %llu MMIO, %llu host calls, %llu PSCI, %llu memory "
			"faults; %llu RMI calls\n",
			(unsigned long long)s->n_mmio, (unsigned long long)s->n_hostcall,
			(unsigned long long)s->n_psci, (unsigned long long)s->n_ripas,
			(unsigned long long)s->n_rmi);
	report_teardown(cfg, s);
	fprintf(stderr, "RIM        %s ", s->rim_len == 64 ? "sha512" : "sha256");
	print_hex(stderr, s->rim, s->rim_len);
	fputc('\n', stderr);
	if (s->token)
		report_token(cfg, s);
	fprintf(stderr,
		"timing     setup %.1f ms, populate %.1f ms, activation %s%.1f ms, run %.1f ms, "
		"teardown %.1f ms; total %.1f ms\n",
		t->setup_ms, t->populate_ms, t->activation_known ? "" : "(in run) ",
		t->activation_ms, t->run_ms, t->teardown_ms,
		t->setup_ms + t->populate_ms + t->activation_ms + t->run_ms + t->teardown_ms);
}

int cmd_run(int argc, char **argv)
{
	struct vmm_config cfg;
	struct vmm_err err = { 0 };
	struct vmm_session s;
	int r = options_parse(OPTIONS_RUN, argc, argv, &cfg, &err);

	if (r > 0)
		return 0;
	if (r < 0 || vmm_session_run(&cfg, &s, &err)) {
		fprintf(stderr, "realmkit run: %s\n", err.msg);
		return err.status ? err.status : VMM_EXIT_ERROR;
	}
	report(&cfg, &s);
	r = s.status;
	vmm_session_fini(&s);
	return r;
}
