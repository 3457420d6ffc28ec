/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The platform attestation root of trust (EL3's side of rmm-v1.0.md s15.3):
 * the CPAK and the platform token it signs, and the RAK handed to the RMM.
 *
 * The platform token follows TF-RMM's sample platform token
 * (plat/host/common/src/host_harness_cmn.c at rmm-spec-v1.0-rel0) claim by
 * claim and in the same order; claim keys as in the CCA token conventions
 * (veraison ccatoken, TF-RMM's token verifier):
 *   265  profile                 tstr "tag:arm.com,2023:cca_platform#1.0.0"
 *   10   challenge               bstr, the RMM's SHA-256 of the RAK COSE_Key
 *   2396 implementation id       bstr 32
 *   256  instance id             bstr 33: 0x01 (UEID RAND) || SHA-256(CPAK point)
 *   2401 configuration           bstr
 *   2395 security lifecycle      uint, 0x3003 (secured) as the sample
 *   2402 hash algorithm id       tstr "sha-256"
 *   2400 verification service    tstr
 *   2399 software components     array of {1: type, 5: signer id, 2: measurement,
 *                                          6: hash algorithm id}
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include <openssl/evp.h>

#include <rk_cose.h>

#include "platform_priv.h"

#define PLAT_CLAIM_CHALLENGE	    10
#define PLAT_CLAIM_INSTANCE_ID	    256
#define PLAT_CLAIM_PROFILE	    265
#define PLAT_CLAIM_LIFECYCLE	    2395
#define PLAT_CLAIM_IMPLEMENTATION   2396
#define PLAT_CLAIM_SW_COMPONENTS    2399
#define PLAT_CLAIM_VERIFICATION_SVC 2400
#define PLAT_CLAIM_CONFIG	    2401
#define PLAT_CLAIM_HASH_ALGO	    2402
#define SW_COMP_TYPE		    1
#define SW_COMP_MEASUREMENT	    2
#define SW_COMP_SIGNER_ID	    5
#define SW_COMP_HASH_ALGO	    6

#define PLAT_PROFILE	       "tag:arm.com,2023:cca_platform#1.0.0"
#define PLAT_LIFECYCLE_SECURED 0x3003u
#define PLAT_HASH_ALGO	       "sha-256"
#define PLAT_VERIFICATION_SVC  "https://veraison.example/.well-known/veraison/verification"
#define PLAT_IMPL_ID_LABEL     "realmkit CCA platform implementation v1"
#define PLAT_SIGNER_LABEL      "realmkit firmware signer v1"
#define PLAT_FW_VERSION	       "0.1.0"
#define PLAT_PAYLOAD_MAX       1024u

/* The boot chain the platform token reports, measured as SHA-256 of a name. */
static const char *const sw_components[] = { "BL1", "BL2", "BL31", "RMM" };

struct attest_root {
	bool keys_ready;
	uint8_t cpak[RK_P384_BYTES];
	uint8_t cpak_x[RK_P384_BYTES], cpak_y[RK_P384_BYTES];
	uint8_t rak[RK_P384_BYTES];
};

static pthread_mutex_t attest_lock = PTHREAD_MUTEX_INITIALIZER;
static struct attest_root root; /* protected by attest_lock */

static void sha256(const void *p, size_t len, uint8_t out[RK_SHA256_BYTES])
{
	unsigned int olen = 0;

	if (!EVP_Digest(p, len, out, &olen, EVP_sha256(), NULL) || olen != RK_SHA256_BYTES)
		memset(out, 0, RK_SHA256_BYTES); /* unreachable with a working libcrypto */
}

/* One key: from a PEM file, or the built-in test key of `label`. */
static int load_key(const char *pem, const char *label, uint8_t priv[RK_P384_BYTES], char *err,
		    size_t errlen)
{
	if (pem)
		return rk_p384_private_from_pem(pem, priv, err, errlen);
	if (rk_p384_key_from_label(label, priv)) {
		snprintf(err, errlen, "cannot derive the test key '%s'", label);
		return -EIO;
	}
	return 0;
}

static int set_keys_locked(const char *cpak_pem, const char *rak_pem, char *err, size_t errlen)
{
	struct attest_root next = { 0 };
	int ret;

	ret = load_key(cpak_pem, RK_TEST_CPAK_LABEL, next.cpak, err, errlen);
	if (!ret)
		ret = load_key(rak_pem, RK_TEST_RAK_LABEL, next.rak, err, errlen);
	if (!ret && rk_p384_public(next.cpak, next.cpak_x, next.cpak_y)) {
		snprintf(err, errlen, "CPAK: cannot compute the public key");
		ret = -EIO;
	}
	if (ret)
		goto out_clear;
	next.keys_ready = true;
	root = next;
out_clear:
	memset(&next, 0, sizeof(next));
	return ret;
}

int platform_attest_set_keys(const char *cpak_pem_path, const char *rak_pem_path, char *err,
			     size_t errlen)
{
	char local[160];
	int ret;

	if (!err) {
		err = local;
		errlen = sizeof(local);
	}
	pthread_mutex_lock(&attest_lock);
	ret = set_keys_locked(cpak_pem_path, rak_pem_path, err, errlen);
	pthread_mutex_unlock(&attest_lock);
	return ret;
}

/* Loads the default keys on first use. Called with attest_lock held. */
static int ensure_keys_locked(void)
{
	char err[160];

	if (root.keys_ready)
		return 0;
	return set_keys_locked(NULL, NULL, err, sizeof(err)) ? -EIO : 0;
}

int platform_attest_cpak_public(uint8_t x[48], uint8_t y[48])
{
	int ret;

	pthread_mutex_lock(&attest_lock);
	ret = ensure_keys_locked();
	if (!ret) {
		memcpy(x, root.cpak_x, RK_P384_BYTES);
		memcpy(y, root.cpak_y, RK_P384_BYTES);
	}
	pthread_mutex_unlock(&attest_lock);
	return ret;
}

int el3_attest_get_realm_key(uint8_t *buf, size_t size, size_t *len)
{
	int ret;

	if (size < RK_P384_BYTES)
		return -EINVAL;
	pthread_mutex_lock(&attest_lock);
	ret = ensure_keys_locked();
	if (!ret) {
		memcpy(buf, root.rak, RK_P384_BYTES);
		*len = RK_P384_BYTES;
	}
	pthread_mutex_unlock(&attest_lock);
	return ret;
}

static void write_sw_components(struct rk_cbor_w *w)
{
	uint8_t signer[RK_SHA256_BYTES], measurement[RK_SHA256_BYTES];
	char text[64];

	sha256(PLAT_SIGNER_LABEL, strlen(PLAT_SIGNER_LABEL), signer);
	rk_cbor_array(w, sizeof(sw_components) / sizeof(sw_components[0]));
	for (size_t i = 0; i < sizeof(sw_components) / sizeof(sw_components[0]); i++) {
		snprintf(text, sizeof(text), "realmkit %s %s", sw_components[i], PLAT_FW_VERSION);
		sha256(text, strlen(text), measurement);
		rk_cbor_map(w, 4); /* key order as the sample token */
		rk_cbor_int(w, SW_COMP_TYPE);
		rk_cbor_tstr(w, sw_components[i]);
		rk_cbor_int(w, SW_COMP_SIGNER_ID);
		rk_cbor_bstr(w, signer, sizeof(signer));
		rk_cbor_int(w, SW_COMP_MEASUREMENT);
		rk_cbor_bstr(w, measurement, sizeof(measurement));
		rk_cbor_int(w, SW_COMP_HASH_ALGO);
		rk_cbor_tstr(w, PLAT_HASH_ALGO);
	}
}

/* The claims map. Called with attest_lock held. */
static size_t write_claims(const uint8_t *challenge, size_t challenge_len, uint8_t *out,
			   size_t size)
{
	uint8_t impl[RK_SHA256_BYTES], instance[1 + RK_SHA256_BYTES], point[RK_P384_POINT_BYTES];
	/* Configuration: PA width, granule shift, RMI major and minor version. */
	const uint8_t config[] = { RK_PA_WIDTH, 12, 1, 0 };
	struct rk_cbor_w w;

	sha256(PLAT_IMPL_ID_LABEL, strlen(PLAT_IMPL_ID_LABEL), impl);
	point[0] = 0x04;
	memcpy(point + 1, root.cpak_x, RK_P384_BYTES);
	memcpy(point + 1 + RK_P384_BYTES, root.cpak_y, RK_P384_BYTES);
	instance[0] = 0x01; /* EAT UEID type RAND */
	sha256(point, sizeof(point), instance + 1);

	rk_cbor_init(&w, out, size);
	rk_cbor_map(&w, 9);
	rk_cbor_int(&w, PLAT_CLAIM_PROFILE);
	rk_cbor_tstr(&w, PLAT_PROFILE);
	rk_cbor_int(&w, PLAT_CLAIM_CHALLENGE);
	rk_cbor_bstr(&w, challenge, challenge_len);
	rk_cbor_int(&w, PLAT_CLAIM_IMPLEMENTATION);
	rk_cbor_bstr(&w, impl, sizeof(impl));
	rk_cbor_int(&w, PLAT_CLAIM_INSTANCE_ID);
	rk_cbor_bstr(&w, instance, sizeof(instance));
	rk_cbor_int(&w, PLAT_CLAIM_CONFIG);
	rk_cbor_bstr(&w, config, sizeof(config));
	rk_cbor_int(&w, PLAT_CLAIM_LIFECYCLE);
	rk_cbor_int(&w, PLAT_LIFECYCLE_SECURED);
	rk_cbor_int(&w, PLAT_CLAIM_HASH_ALGO);
	rk_cbor_tstr(&w, PLAT_HASH_ALGO);
	rk_cbor_int(&w, PLAT_CLAIM_VERIFICATION_SVC);
	rk_cbor_tstr(&w, PLAT_VERIFICATION_SVC);
	rk_cbor_int(&w, PLAT_CLAIM_SW_COMPONENTS);
	write_sw_components(&w);
	return rk_cbor_ok(&w) ? w.len : 0;
}

int el3_attest_get_platform_token(const uint8_t *challenge, size_t challenge_len, uint8_t *buf,
				  size_t size, size_t *len)
{
	uint8_t payload[PLAT_PAYLOAD_MAX], digest[RK_SHA384_BYTES], sig[RK_P384_SIG_BYTES];
	size_t plen, tlen = 0;
	int ret = -EIO;

	/* PSA/CCA platform challenge: 32, 48 or 64 bytes. */
	if (challenge_len != 32 && challenge_len != 48 && challenge_len != 64)
		return -EINVAL;
	pthread_mutex_lock(&attest_lock);
	if (ensure_keys_locked())
		goto out_unlock;
	plen = write_claims(challenge, challenge_len, payload, sizeof(payload));
	if (!plen ||
	    rk_cose_sign1_digest((const uint8_t *)RK_COSE_PROTECTED_ES384,
				 RK_COSE_PROTECTED_ES384_LEN, payload, plen, digest) ||
	    rk_ecdsa_sign(root.cpak, digest, sig))
		goto out_unlock;
	if (rk_cose_sign1_size(plen) > size) {
		ret = -ENOSPC;
		goto out_unlock;
	}
	tlen = rk_cose_sign1_write(payload, plen, sig, buf, size);
	if (tlen) {
		*len = tlen;
		ret = 0;
	}
out_unlock:
	pthread_mutex_unlock(&attest_lock);
	return ret;
}
