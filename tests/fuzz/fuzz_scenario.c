/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer target for the RMI scenario-script parser (src/vmm/scenario.h,
 * the input of `realmkit rmi`): any byte string must either parse into a
 * program or fail with a message naming a line; never a crash, a leak or an
 * out-of-bounds access. A parsed program is freed again.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "scenario.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct scenario *sc = NULL;
	char err[256];
	int rc;

	err[0] = '\0';
	rc = scenario_parse((const char *)data, size, &sc, err, sizeof(err));
	if (rc == 0) {
		scenario_free(sc);
	} else if (err[0] == '\0' || memchr(err, '\0', sizeof(err)) == NULL) {
		__builtin_trap(); /* every rejection carries a message */
	}
	return 0;
}
