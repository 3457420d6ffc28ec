/* SPDX-License-Identifier: BSD-3-Clause */
/* The board as a token factory (board_attest.h). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <platform_root.h>
#include <rmm_attest.h>

#include "board_attest.h"

int board_make_token(const struct board_token_request *req, uint8_t *out, size_t size, size_t *len,
		     unsigned int *steps, char *err, size_t errlen)
{
	struct rmm_attest_request r;
	int ret;

	ret = platform_attest_set_keys(req->cpak_pem, req->rak_pem, err, errlen);
	if (ret)
		return ret;
	/* The root of trust changed: the RMM fetches RAK and platform token anew. */
	rmm_attest_reset();
	memcpy(r.challenge, req->challenge, sizeof(r.challenge));
	memcpy(r.rpv, req->rpv, sizeof(r.rpv));
	memcpy(r.rim, req->rim, sizeof(r.rim));
	memcpy(r.rems, req->rems, sizeof(r.rems));
	r.algorithm = req->algorithm;
	ret = rmm_attest_make_token(&r, out, size, len, steps);
	if (ret)
		snprintf(err, errlen, "the RMM could not build the token: %s", strerror(-ret));
	return ret;
}
