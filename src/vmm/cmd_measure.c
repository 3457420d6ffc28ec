/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * `realmkit measure`: the RIM a realm will have, from the same flags and
 * the same construction sequence as `realmkit run` (construct.h), through
 * the measuring back end (measure.h).
 */
#include <stdio.h>

#include "cli.h"
#include "construct.h"
#include "measure.h"
#include "options.h"

static void print_hex(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		printf("%02x", p[i]);
	putchar('\n');
}

int cmd_measure(int argc, char **argv)
{
	struct vmm_config cfg;
	struct vmm_err err = { 0 };
	struct vmm_plan plan;
	struct measure *m;
	const uint8_t *rim;
	size_t len;
	int r = options_parse(OPTIONS_MEASURE, argc, argv, &cfg, &err);

	if (r)
		goto out_status;
	if (vmm_plan_build(&cfg, &plan, &err))
		goto out_err;
	m = measure_new(cfg.json);
	if (!m) {
		vmm_plan_free(&plan);
		fprintf(stderr, "realmkit measure: out of memory\n");
		return VMM_EXIT_ERROR;
	}
	r = vmm_construct(&cfg, &plan, &measure_backend, m, &err);
	if (!r && cfg.json) {
		measure_write_json(m, stdout);
	} else if (!r) {
		rim = measure_rim(m, &len);
		printf("RIM: ");
		print_hex(rim, len);
		printf("algorithm: %s\nRPV: ", len == 64 ? "sha512" : "sha256");
		print_hex(cfg.rpv, sizeof(cfg.rpv));
	}
	measure_free(m);
	vmm_plan_free(&plan);
	if (!r)
		return 0;
out_err:
	r = -1;
out_status:
	if (r > 0)
		return 0;
	fprintf(stderr, "realmkit measure: %s\n", err.msg);
	return err.status;
}
