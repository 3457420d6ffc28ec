/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The granule protection fault path for granules in every state the RMM
 * can put them in today (issue 8; rmm-v1.0.md s9.1: a granule outside PAS
 * NS is not accessible to Non-secure software; ACS mm_gpf_exception): for a
 * sample of granules in states DELEGATED, RD, REC, REC_AUX, RTT and DATA,
 * of a NEW and of an ACTIVE realm, a host read and a host write through the
 * NS view in a forked child take a granule protection fault whose report
 * names the exact PA and PAS REALM; the child dies with RK_EXIT_GPF. The
 * Root and Secure carve-outs fault the same way with their PAS; an NS
 * granule is readable (control). The signal-free probe of the invariant
 * checker (platform_ns_view_probe) agrees with every outcome.
 */
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "invariants.h"
#include "rtt_fixture.h"

struct sample {
	const char *label;
	pa_t pa;
	const char *pas; /* expected PAS in the report, NULL: the access succeeds */
};

/*
 * Forks a child that installs the host's GPF reporter and reads (or
 * writes) one byte at pa + off through the NS view. Returns the child's
 * exit status and its stderr in msg.
 */
static int host_access(pa_t pa, unsigned int off, bool write, char *msg, size_t len)
{
	int fds[2], status = 0;
	ssize_t n;
	pid_t pid;

	assert_int_equal(pipe(fds), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		volatile unsigned char *p = (unsigned char *)platform_ns_ptr(pa) + off;

		close(fds[0]);
		dup2(fds[1], STDERR_FILENO);
		platform_install_gpf_reporter();
		if (write)
			*p = 0x5a;
		else
			(void)*p;
		_exit(0);
	}
	close(fds[1]);
	n = read(fds[0], msg, len - 1);
	msg[n > 0 ? n : 0] = '\0';
	close(fds[0]);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	return WEXITSTATUS(status);
}

static void check_sample(const struct sample *s, unsigned int i)
{
	/* Offsets: first byte, a middle one, the last byte of the granule. */
	static const unsigned int offs[] = { 0, 0x7a8, GRANULE_SIZE - 1 };
	unsigned int off = offs[i % ARRAY_SIZE(offs)];
	char msg[256], expect[128];

	for (int w = 0; w < 2; w++) {
		int code = host_access(s->pa, off, w, msg, sizeof(msg));

		if (!s->pas) {
			if (code != 0 || msg[0])
				fail_msg("%s %#llx: host %s failed (%d, %s)", s->label,
					 (unsigned long long)s->pa.v, w ? "write" : "read", code,
					 msg);
			continue;
		}
		snprintf(expect, sizeof(expect), "granule protection fault: PA 0x%llx (PAS %s)\n",
			 (unsigned long long)s->pa.v + off, s->pas);
		if (code != RK_EXIT_GPF || strcmp(msg, expect) != 0)
			fail_msg("%s %#llx, host %s: exit %d, report \"%s\", expected \"%s\"",
				 s->label, (unsigned long long)s->pa.v, w ? "write" : "read", code,
				 msg, expect);
	}
	/* The checker's signal-free probe sees the same thing. */
	assert_int_equal(platform_ns_view_probe(s->pa), s->pas ? 0 : 1);
	assert_int_equal(platform_ns_view_accessible(s->pa), s->pas == NULL);
}

/* One realm with an object of every state: RD, roots, RTTs, DATA, REC and aux. */
static size_t realm_samples(struct sample *out, struct rt_realm *r, uint16_t vmid)
{
	pa_t aux0, rec, data, data2, l3;
	size_t n = 0;

	rt_realm_create(r, vmid);
	rec = rt_rec(r, &aux0);
	data = rt_data(r, 0);
	data2 = rt_data(r, 0x1ff000); /* the last page the level-3 RTT maps */
	l3 = pa_of(rt_read(r, 0, 2).x[3]);
	out[n++] = (struct sample){ "RD", r->rd, "REALM" };
	out[n++] = (struct sample){ "REC", rec, "REALM" };
	out[n++] = (struct sample){ "REC_AUX[0]", aux0, "REALM" };
	out[n++] = (struct sample){ "RTT (root)", r->root, "REALM" };
	out[n++] = (struct sample){ "RTT (level 3)", l3, "REALM" };
	out[n++] = (struct sample){ "DATA", data, "REALM" };
	out[n++] = (struct sample){ "DATA", data2, "REALM" };
	for (size_t i = 0; i < n; i++) {
		static const enum granule_state want[] = {
			GRANULE_STATE_RD,   GRANULE_STATE_REC, GRANULE_STATE_REC_AUX,
			GRANULE_STATE_RTT,  GRANULE_STATE_RTT, GRANULE_STATE_DATA,
			GRANULE_STATE_DATA,
		};

		assert_int_equal(fx_state(out[i].pa), want[i]);
	}
	return n;
}

static void test_gpf_every_state(void **state)
{
	struct sample s[24];
	struct rt_realm fresh, active;
	size_t n = 0, m;
	char why[256];

	(void)state;
	s[n++] = (struct sample){ "NS", fx_ns(), NULL };
	s[n++] = (struct sample){ "DELEGATED", fx_delegated(), "REALM" };
	s[n++] = (struct sample){ "DELEGATED", fx_delegated(), "REALM" };
	s[n++] = (struct sample){ "Root carve-out", pa_of(RK_DRAM_BASE), "ROOT" };
	s[n++] = (struct sample){ "Secure carve-out", fx_pa_secure(), "SECURE" };
	n += realm_samples(&s[n], &fresh, 1);
	m = n;
	n += realm_samples(&s[n], &active, 2);
	assert_rmi(rt_x0(RMI_REALM_ACTIVATE, active.rd.v, 0, 0, 0), RMI_SUCCESS, 0);
	assert_int_equal(rmm_check_invariants(why, sizeof(why)), 0);
	for (size_t i = 0; i < n; i++)
		check_sample(&s[i], (unsigned int)i);
	print_message("gpf: %zu granules (%zu of a NEW realm, %zu of an ACTIVE one), read and "
		      "write each\n",
		      n, m - 5, n - m);
	/* Nothing the children did changed the machine. */
	assert_int_equal(rmm_check_invariants(why, sizeof(why)), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_gpf_every_state, rt_setup, fx_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
