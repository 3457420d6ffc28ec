/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Decoder of CCA attestation tokens (rmm-v1.0.md s15): the tag-399
 * collection, both COSE_Sign1 envelopes and both claim sets, with every
 * type and size checked. It never allocates; every span points into the
 * caller's buffer, which must outlive the result. Any input gives either a
 * complete result or an error message, never a crash (fuzzed by
 * tests/fuzz/fuzz_token_decode.c).
 */
#ifndef REALMKIT_VMM_TOKEN_DECODE_H
#define REALMKIT_VMM_TOKEN_DECODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Limits on what the decoder accepts (an item over its limit is an error). */
#define CCA_MAX_TOKEN_SIZE    0x4000u /* whole input */
#define CCA_MAX_CLAIMS	      32u     /* entries in one claims map */
#define CCA_MAX_SW_COMPONENTS 32u
#define CCA_MAX_DEPTH	      8u /* nesting of skipped unknown claims */

/* Bytes of the input (a byte or text string, or a whole encoded item). */
struct cca_span {
	const uint8_t *p;
	size_t len;
};

/* One COSE_Sign1 (RFC 9052 s4.2) as found in the token. */
struct cca_sign1 {
	struct cca_span raw;	   /* the whole tagged COSE_Sign1 */
	struct cca_span protected; /* the protected header's bytes (a CBOR map) */
	struct cca_span payload;   /* the claims map's bytes */
	int64_t alg;		   /* protected header label 1 */
	uint8_t signature[96];	   /* r || s */
};

struct cca_sw_component {
	struct cca_span type;	   /* key 1, tstr (optional) */
	struct cca_span value;	   /* key 2, bstr: the measurement */
	struct cca_span version;   /* key 4, tstr (optional) */
	struct cca_span signer_id; /* key 5, bstr */
	struct cca_span hash_algo; /* key 6, tstr (optional) */
};

struct cca_platform_claims {
	struct cca_span profile;			   /* 265 tstr */
	struct cca_span challenge;			   /* 10 bstr 32/48/64 */
	struct cca_span implementation_id;		   /* 2396 bstr */
	struct cca_span instance_id;			   /* 256 bstr */
	struct cca_span config;				   /* 2401 bstr */
	uint64_t lifecycle;				   /* 2395 uint */
	struct cca_span hash_algo;			   /* 2402 tstr */
	struct cca_span verification_service;		   /* 2400 tstr (optional) */
	struct cca_sw_component sw[CCA_MAX_SW_COMPONENTS]; /* 2399 */
	unsigned int n_sw;
	int64_t order[CCA_MAX_CLAIMS]; /* claim keys in encoding order */
	unsigned int n_claims;
};

struct cca_realm_claims {
	struct cca_span challenge;	   /* 10 bstr 64 */
	struct cca_span rpv;		   /* 44235 bstr 64 */
	struct cca_span pub_key;	   /* 44237 bstr: the COSE_Key bytes */
	uint8_t rak_x[48], rak_y[48];	   /* its EC2 P-384 coordinates */
	struct cca_span hash_algo;	   /* 44236 tstr */
	struct cca_span pub_key_hash_algo; /* 44240 tstr */
	struct cca_span profile;	   /* 265 tstr */
	struct cca_span rim;		   /* 44238 bstr 32/48/64 */
	struct cca_span rems[4];	   /* 44239 array of 4 bstr */
	int64_t order[CCA_MAX_CLAIMS];
	unsigned int n_claims;
};

struct cca_token {
	struct cca_sign1 platform, realm;
	struct cca_platform_claims pclaims;
	struct cca_realm_claims rclaims;
};

/*
 * Decodes a CCA token: tag 399 {44234: bstr(COSE_Sign1), 44241:
 * bstr(COSE_Sign1)} with nothing after it. Checks every structure, type and
 * size (signatures are not checked here). Returns 0, or -1 with a message
 * naming the part and the problem in err.
 */
int cca_token_decode(const uint8_t *buf, size_t len, struct cca_token *out, char *err,
		     size_t errlen);

#endif /* REALMKIT_VMM_TOKEN_DECODE_H */
