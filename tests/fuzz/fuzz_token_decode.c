/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer target for the CCA token decoder: any input must give either a
 * complete result whose every span lies inside the input, or an error
 * message; never a crash, a hang or an out-of-bounds access (ASan).
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "token_decode.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A decoded span must be empty or inside [data, data + size). */
static void check_span(struct cca_span s, const uint8_t *data, size_t size)
{
	if (s.p && (s.p < data || s.len > size || s.p - data > (ptrdiff_t)(size - s.len)))
		__builtin_trap();
}

static void check_result(const struct cca_token *t, const uint8_t *data, size_t size)
{
	const struct cca_span spans[] = {
		t->platform.raw,	t->platform.protected, t->platform.payload,
		t->realm.raw,		t->realm.protected,    t->realm.payload,
		t->pclaims.profile,	t->pclaims.challenge,  t->pclaims.implementation_id,
		t->pclaims.instance_id, t->pclaims.config,     t->pclaims.hash_algo,
		t->rclaims.challenge,	t->rclaims.rpv,	       t->rclaims.pub_key,
		t->rclaims.profile,	t->rclaims.rim,	       t->rclaims.hash_algo,
	};

	for (size_t i = 0; i < sizeof(spans) / sizeof(spans[0]); i++)
		check_span(spans[i], data, size);
	if (t->pclaims.n_sw > CCA_MAX_SW_COMPONENTS || t->rclaims.n_claims > CCA_MAX_CLAIMS)
		__builtin_trap();
	for (unsigned int i = 0; i < t->pclaims.n_sw; i++)
		check_span(t->pclaims.sw[i].value, data, size);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct cca_token t;
	char err[256];

	err[0] = '\0';
	if (cca_token_decode(data, size, &t, err, sizeof(err)) == 0)
		check_result(&t, data, size);
	else if (!err[0] || !memchr(err, '\0', sizeof(err)))
		__builtin_trap(); /* a failure always explains itself */
	return 0;
}
