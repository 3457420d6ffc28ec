/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Host initialisation: the host configuration (page size, requested RMI
 * version, log sink), RMI discovery and version negotiation with the
 * series' log messages ([PATCH v12 05/46], kvm-cca-host.md s3.2), and
 * RMI_FEATURES. Realm support is exposed only when negotiation succeeded.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>

#include <realmkit/platform.h>

#include "host_priv.h"

struct host_globals hg = {
	.page_size = GRANULE_SIZE,
	.rmi_version = RMI_ABI_VERSION,
};

static void log_stderr(const char *line)
{
	fprintf(stderr, "kvm [rmi]: %s\n", line);
}

void host_log(const char *fmt, ...)
{
	char line[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	(hg.log ? hg.log : log_stderr)(line);
}

int rk_kvm_host_configure(const struct rk_kvm_host_config *cfg)
{
	uint64_t ps = cfg->page_size ? cfg->page_size : GRANULE_SIZE;

	/* The host's PAGE_SIZE: 4, 16 or 64 KB, as arm64 Linux allows. */
	if (ps != 4096 && ps != 16384 && ps != 65536) {
		errno = EINVAL;
		return -1;
	}
	if (host_handles_open()) {
		errno = EBUSY;
		return -1;
	}
	hg.page_size = ps;
	hg.rmi_version = cfg->rmi_version ? cfg->rmi_version : RMI_ABI_VERSION;
	hg.log = cfg->log;
	return 0;
}

/*
 * rmm-v1.0.md s4 RMI_VERSION: X1 = lower, X2 = higher revision the RMM
 * implements; SUCCESS iff it implements the requested one. The messages are
 * the series' (kvm-cca-host.md s3.2, step 3).
 */
static int rmi_check_version(void)
{
	uint64_t lower = 0, higher = 0, ret;

	ret = rmi_version(hg.rmi_version, &lower, &higher);
	if (ret == SMC_UNKNOWN)
		return -ENXIO;
	if (ret != RMI_SUCCESS) {
		host_log("Unsupported RMI ABI (v%u.%u - v%u.%u) we want v%u.%u",
			 (unsigned int)RMI_ABI_VERSION_MAJOR(lower),
			 (unsigned int)RMI_ABI_VERSION_MINOR(lower),
			 (unsigned int)RMI_ABI_VERSION_MAJOR(higher),
			 (unsigned int)RMI_ABI_VERSION_MINOR(higher),
			 (unsigned int)RMI_ABI_VERSION_MAJOR(hg.rmi_version),
			 (unsigned int)RMI_ABI_VERSION_MINOR(hg.rmi_version));
		return -ENXIO;
	}
	host_log("RMI ABI version %u.%u", (unsigned int)RMI_ABI_VERSION_MAJOR(lower),
		 (unsigned int)RMI_ABI_VERSION_MINOR(lower));
	return 0;
}

/*
 * kvm_init_rmi: version, RMI_FEATURES(0), the VMID allocator, then realm
 * support is switched on. Without a platform there is no "/dev/kvm".
 */
int host_init(void)
{
	int ret;

	if (!platform_ready())
		return -ENODEV;
	ret = host_pages_init();
	if (ret)
		return ret;
	hg.rmi_available = false;
	hg.feat0 = 0;
	host_vmid_reset();
	/* Continue without realm support if we cannot agree on a version. */
	if (rmi_check_version() != 0)
		return 0;
	if (rmi_features(RMI_FEATURE_REGISTER_0_INDEX, &hg.feat0) != RMI_SUCCESS)
		return 0;
	hg.rmi_available = true;
	return 0;
}

void host_fini(void)
{
	host_pages_fini();
	hg.rmi_available = false;
}

uint64_t host_feat0(unsigned int shift, unsigned int width)
{
	return rmi_field_get(hg.feat0, shift, width);
}

/* kvm-cca-host.md s2.3: the realm IPA limit is the RMM's S2SZ. */
unsigned int host_max_ipa_bits(void)
{
	return (unsigned int)host_feat0(RMI_FEATURE_REGISTER_0_S2SZ_SHIFT,
					RMI_FEATURE_REGISTER_0_S2SZ_WIDTH);
}
