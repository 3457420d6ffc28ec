/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Granule protection faults seen by Non-secure software. A host or VMM
 * access to a granule whose PAS is not NS hits a PROT_NONE page of the NS
 * view; the kernel's GPF handling (patch 02 of the KVM CCA series) reports
 * it and kills the offending process.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <realmkit/platform.h>

#include "platform_priv.h"

static void format_hex(char *out, uint64_t v)
{
	static const char digits[] = "0123456789abcdef";
	char tmp[16];
	int n = 0;

	do {
		tmp[n++] = digits[v & 0xf];
		v >>= 4;
	} while (v);
	while (n)
		*out++ = tmp[--n];
	*out = '\0';
}

static void gpf_handler(int sig, siginfo_t *si, void *uctx)
{
	unsigned char *addr = si->si_addr;
	char msg[128], hex[20];
	pa_t pa;

	(void)uctx;
	if (!plat.ready || addr < plat.ns_view || addr >= plat.ns_view + plat.dram_size) {
		signal(sig, SIG_DFL);
		raise(sig);
		return;
	}
	pa = pa_of(RK_DRAM_BASE + (uint64_t)(addr - plat.ns_view));
	/* Async-signal-safe formatting only. */
	format_hex(hex, pa.v);
	strcpy(msg, "granule protection fault: PA 0x");
	strcat(msg, hex);
	strcat(msg, " (PAS ");
	strcat(msg, platform_pas_name(platform_pas(pa)));
	strcat(msg, ")\n");
	if (write(STDERR_FILENO, msg, strlen(msg)) < 0) {
		/* Nothing more can be done from a signal handler. */
	}
	_exit(RK_EXIT_GPF);
}

void platform_install_gpf_reporter(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = gpf_handler;
	sa.sa_flags = SA_SIGINFO;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGBUS, &sa, NULL);
}
