/* SPDX-License-Identifier: BSD-3-Clause */
/* Flag parsing for run and measure (options.h). */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <realmkit/kvm.h>

#include "cli.h"
#include "options.h"

enum {
	OPT_REALM = 0x100,
	OPT_DTB,
	OPT_ALGO,
	OPT_RPV,
	OPT_SVE,
	OPT_PSCI,
	OPT_CONSOLE,
	OPT_TRACE,
	OPT_TIMEOUT,
	OPT_DEBUG,
	OPT_JSON,
	OPT_DEBUG_DEVICE,
	OPT_PSCI_DENY,
};

static const struct option long_opts[] = {
	{ "realm", no_argument, NULL, OPT_REALM },
	{ "cpus", required_argument, NULL, 'c' },
	{ "mem", required_argument, NULL, 'm' },
	{ "kernel", required_argument, NULL, 'k' },
	{ "initrd", required_argument, NULL, 'i' },
	{ "params", required_argument, NULL, 'p' },
	{ "dtb", required_argument, NULL, OPT_DTB },
	{ "measurement-algo", required_argument, NULL, OPT_ALGO },
	{ "realm-pv", required_argument, NULL, OPT_RPV },
	{ "sve-max-vl", required_argument, NULL, OPT_SVE },
	{ "psci", required_argument, NULL, OPT_PSCI },
	{ "console", required_argument, NULL, OPT_CONSOLE },
	{ "trace", required_argument, NULL, OPT_TRACE },
	{ "timeout", required_argument, NULL, OPT_TIMEOUT },
	{ "debug", no_argument, NULL, OPT_DEBUG },
	{ "debug-device", required_argument, NULL, OPT_DEBUG_DEVICE },
	{ "psci-deny", required_argument, NULL, OPT_PSCI_DENY },
	{ "json", no_argument, NULL, OPT_JSON },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

void options_usage(enum options_cmd cmd, FILE *f)
{
	bool run = cmd == OPTIONS_RUN;

	fprintf(f,
		"usage: realmkit %s [FLAGS] -k IMAGE\n\n%s\n\n"
		"  --realm                  run as a realm (the default; accepted for "
		"kvmtool-cca)\n"
		"  -c, --cpus N             vCPUs, 1..%u (default 1); vCPU i has MPIDR = REC index "
		"i\n"
		"  -m, --mem SIZE           guest RAM at 0x80000000: MiB, or with K/M/G suffix;\n"
		"                           a multiple of 2 MB, 4 MB..512 GB (default 256)\n"
		"  -k, --kernel IMAGE       ELF64 AArch64, arm64 Image (header magic ARM\\x64) or "
		"raw\n"
		"                           binary (loaded at 0x80000000)\n"
		"  -i, --initrd FILE        initial ramdisk, placed just below the DTB\n"
		"  -p, --params CMDLINE     kernel command line (/chosen/bootargs)\n"
		"  --dtb FILE               use this DTB (max 64 KB) instead of generating one\n"
		"  --measurement-algo ALGO  sha256 (default) or sha512: the RIM/REM hash\n"
		"  --realm-pv HEX           Realm Personalisation Value: up to 128 hex digits,\n"
		"                           byte 0 first, zero-padded to 64 bytes\n"
		"  --sve-max-vl N           SVE vector length in bits (multiple of 128, "
		"128..2048);\n"
		"                           the host refuses it if the RMM has no SVE\n"
		"  --psci MODE              implicit (default: the host completes PSCI on the\n"
		"                           caller's next entry) or explicit (the VMM issues\n"
		"                           KVM_ARM_VCPU_RMI_PSCI_COMPLETE, v12)\n"
		"  --console KIND           serial (default: PL011 output on stdout) or none\n"
		"  --trace FILE             write a Chrome/Perfetto trace-event JSON of the run\n"
		"  --timeout SECONDS        stop the realm after SECONDS (exit status 124)\n"
		"  --debug                  log exits, host calls and construction steps to "
		"stderr\n"
		"Test and debug options (realmkit's own; they do not change the RIM):\n"
		"  --debug-device testdev   emulate the test device of the realm test guests at\n"
		"                           0x0A000000 (reads return 0xFEDCBA98F6548281, writes\n"
		"                           are logged to stderr); not in the DTB\n"
		"  --psci-deny CPU          answer PSCI CPU_ON of vCPU CPU (1..N-1) with DENIED,\n"
		"                           as a host that refuses to start it; repeatable\n"
		"%s"
		"  -h, --help               this text\n\n"
		"Exit status: %s\n",
		run ? "run" : "measure",
		run ? "Build a realm through the KVM-shaped UAPI and run it."
		    : "Print the RIM the realm built by `realmkit run` with the same flags will "
		      "have,\ncomputed from the same construction sequence without running it.",
		VMM_MAX_CPUS,
		run ? ""
		    : "  --json                   print RIM, algorithm, RPV, realm parameters and\n"
		      "                           the construction log (tests/rim/rim.py format)\n",
		run ? "0 after PSCI SYSTEM_OFF; the guest's RK_HC_EXIT code (1 if above 255);\n"
		      "2 for bad flags; 124 on --timeout; 130 on Ctrl-C; 1 on other errors."
		    : "0, 2 for bad flags, 1 for bad inputs.");
}

static int parse_mem(const char *s, uint64_t *out)
{
	uint64_t v;
	bool digits = *s != '\0';

	for (const char *p = s; *p; p++)
		digits = digits && isdigit((unsigned char)*p);
	/* kvmtool: a bare number is MiB. */
	if (digits) {
		if (!cli_parse_u64(s, &v) || v > (UINT64_MAX >> 20))
			return -1;
		*out = v << 20;
		return 0;
	}
	return cli_parse_size(s, out) ? 0 : -1;
}

static int parse_rpv(const char *s, uint8_t rpv[VMM_RPV_SIZE])
{
	size_t n;

	if (!strncmp(s, "0x", 2) || !strncmp(s, "0X", 2))
		s += 2;
	n = strlen(s);
	if (n == 0 || n % 2 || n > 2 * VMM_RPV_SIZE)
		return -1;
	memset(rpv, 0, VMM_RPV_SIZE);
	for (size_t i = 0; i < n; i += 2) {
		char b[3] = { s[i], s[i + 1], 0 };

		if (!isxdigit((unsigned char)b[0]) || !isxdigit((unsigned char)b[1]))
			return -1;
		rpv[i / 2] = (uint8_t)strtoul(b, NULL, 16);
	}
	return 0;
}

static int bad(struct vmm_err *err, const char *flag, const char *val, const char *want)
{
	return vmm_errf(err, VMM_EXIT_USAGE, "%s: invalid value '%s' (%s)", flag, val, want);
}

/* One flag with its value; returns 0 or -1 (err set). */
static int apply(int c, const char *v, struct vmm_config *cfg, struct vmm_err *err)
{
	uint64_t u;
	char *end;

	switch (c) {
	case OPT_REALM:
		cfg->realm = true;
		return 0;
	case 'c':
		if (!cli_parse_u64(v, &u) || u < 1 || u > VMM_MAX_CPUS)
			return bad(err, "--cpus", v, "expected 1..64");
		cfg->nr_cpus = (unsigned int)u;
		return 0;
	case 'm':
		if (parse_mem(v, &cfg->ram_size))
			return bad(err, "--mem", v, "expected MiB or a size such as 512M or 1G");
		return 0;
	case 'k':
		cfg->kernel = v;
		return 0;
	case 'i':
		cfg->initrd = v;
		return 0;
	case 'p':
		cfg->params = v;
		return 0;
	case OPT_DTB:
		cfg->dtb_file = v;
		return 0;
	case OPT_ALGO:
		if (!strcmp(v, "sha256"))
			cfg->hash_algo = KVM_CAP_ARM_RMI_MEASURE_ALGO_SHA256;
		else if (!strcmp(v, "sha512"))
			cfg->hash_algo = KVM_CAP_ARM_RMI_MEASURE_ALGO_SHA512;
		else
			return bad(err, "--measurement-algo", v, "expected sha256 or sha512");
		return 0;
	case OPT_RPV:
		if (parse_rpv(v, cfg->rpv))
			return bad(err, "--realm-pv", v, "expected up to 128 hex digits, in pairs");
		return 0;
	case OPT_SVE:
		if (!cli_parse_u64(v, &u) || u < 128 || u > 2048 || u % 128)
			return bad(err, "--sve-max-vl", v,
				   "expected a multiple of 128 in 128..2048");
		cfg->sve_vl = (unsigned int)u;
		return 0;
	case OPT_PSCI:
		if (!strcmp(v, "implicit"))
			cfg->psci = VMM_PSCI_IMPLICIT;
		else if (!strcmp(v, "explicit"))
			cfg->psci = VMM_PSCI_EXPLICIT;
		else
			return bad(err, "--psci", v, "expected implicit or explicit");
		return 0;
	case OPT_CONSOLE:
		if (!strcmp(v, "serial"))
			cfg->console = VMM_CONSOLE_SERIAL;
		else if (!strcmp(v, "none"))
			cfg->console = VMM_CONSOLE_NONE;
		else
			return bad(err, "--console", v, "expected serial or none");
		return 0;
	case OPT_TRACE:
		cfg->trace_file = v;
		return 0;
	case OPT_TIMEOUT:
		errno = 0;
		cfg->timeout_s = strtod(v, &end);
		if (errno || end == v || *end || !isfinite(cfg->timeout_s) || cfg->timeout_s < 0)
			return bad(err, "--timeout", v, "expected seconds >= 0");
		return 0;
	case OPT_DEBUG:
		cfg->debug = true;
		return 0;
	case OPT_JSON:
		cfg->json = true;
		return 0;
	case OPT_DEBUG_DEVICE:
		if (strcmp(v, "testdev"))
			return bad(err, "--debug-device", v, "expected testdev");
		cfg->testdev = true;
		return 0;
	case OPT_PSCI_DENY:
		if (!cli_parse_u64(v, &u) || u < 1 || u >= VMM_MAX_CPUS)
			return bad(err, "--psci-deny", v, "expected a vCPU index 1..63");
		cfg->psci_deny |= 1ULL << u;
		return 0;
	}
	return vmm_errf(err, VMM_EXIT_USAGE, "internal: unhandled flag %d", c);
}

int options_parse(enum options_cmd cmd, int argc, char **argv, struct vmm_config *cfg,
		  struct vmm_err *err)
{
	int c;

	vmm_config_defaults(cfg);
	optind = 0; /* reset getopt (GNU: 0 also re-initialises) */
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":c:m:k:i:p:h", long_opts, NULL)) != -1) {
		if (c == 'h') {
			options_usage(cmd, stdout);
			return 1;
		}
		if (c == '?')
			return vmm_errf(err, VMM_EXIT_USAGE, "unknown flag '%s' (see --help)",
					argv[optind - 1]);
		if (c == ':')
			return vmm_errf(err, VMM_EXIT_USAGE, "flag '%s' needs a value",
					argv[optind - 1]);
		if (c == OPT_JSON && cmd != OPTIONS_MEASURE)
			return vmm_errf(err, VMM_EXIT_USAGE, "--json is a flag of `measure`");
		if (apply(c, optarg, cfg, err))
			return -1;
	}
	if (optind < argc)
		return vmm_errf(err, VMM_EXIT_USAGE, "unexpected argument '%s'", argv[optind]);
	/* Bit 0 is never set: a vCPU index at or above -c names no vCPU. */
	if (cfg->psci_deny >> cfg->nr_cpus)
		return vmm_errf(err, VMM_EXIT_USAGE,
				"--psci-deny: vCPU %d does not exist (--cpus %u)",
				63 - __builtin_clzll(cfg->psci_deny), cfg->nr_cpus);
	return 0;
}
