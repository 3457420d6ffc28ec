/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * CBOR writing (libcbor's streaming encoders into a bounded buffer), COSE_Key
 * and COSE_Sign1 encoding, the Sig_structure digest, P-384 key loading and
 * verification through OpenSSL.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <cbor.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/obj_mac.h>
#include <openssl/params.h>
#include <openssl/pem.h>

#include "rk_cose.h"

void rk_cbor_init(struct rk_cbor_w *w, void *buf, size_t size)
{
	w->buf = buf;
	w->size = size;
	w->len = 0;
	w->overflow = false;
}

bool rk_cbor_ok(const struct rk_cbor_w *w)
{
	return !w->overflow;
}

/* Records the result of one libcbor encoder call (0 = did not fit). */
static void advance(struct rk_cbor_w *w, size_t n)
{
	if (n == 0)
		w->overflow = true;
	else
		w->len += n;
}

static bool room(const struct rk_cbor_w *w)
{
	return !w->overflow && w->len < w->size;
}

void rk_cbor_int(struct rk_cbor_w *w, int64_t v)
{
	if (!room(w)) {
		w->overflow = true;
		return;
	}
	if (v >= 0)
		advance(w, cbor_encode_uint((uint64_t)v, w->buf + w->len, w->size - w->len));
	else /* major type 1 carries -1 - v */
		advance(w, cbor_encode_negint((uint64_t)(-(v + 1)), w->buf + w->len,
					      w->size - w->len));
}

void rk_cbor_bstr_head(struct rk_cbor_w *w, size_t len)
{
	if (!room(w)) {
		w->overflow = true;
		return;
	}
	advance(w, cbor_encode_bytestring_start(len, w->buf + w->len, w->size - w->len));
}

void rk_cbor_raw(struct rk_cbor_w *w, const void *p, size_t len)
{
	if (w->overflow || len > w->size - w->len) {
		w->overflow = true;
		return;
	}
	if (len)
		memcpy(w->buf + w->len, p, len);
	w->len += len;
}

void rk_cbor_bstr(struct rk_cbor_w *w, const void *p, size_t len)
{
	rk_cbor_bstr_head(w, len);
	rk_cbor_raw(w, p, len);
}

void rk_cbor_tstr(struct rk_cbor_w *w, const char *s)
{
	size_t len = strlen(s);

	if (!room(w)) {
		w->overflow = true;
		return;
	}
	advance(w, cbor_encode_string_start(len, w->buf + w->len, w->size - w->len));
	rk_cbor_raw(w, s, len);
}

void rk_cbor_map(struct rk_cbor_w *w, size_t n)
{
	if (!room(w)) {
		w->overflow = true;
		return;
	}
	advance(w, cbor_encode_map_start(n, w->buf + w->len, w->size - w->len));
}

void rk_cbor_array(struct rk_cbor_w *w, size_t n)
{
	if (!room(w)) {
		w->overflow = true;
		return;
	}
	advance(w, cbor_encode_array_start(n, w->buf + w->len, w->size - w->len));
}

void rk_cbor_tag(struct rk_cbor_w *w, uint64_t tag)
{
	if (!room(w)) {
		w->overflow = true;
		return;
	}
	advance(w, cbor_encode_tag(tag, w->buf + w->len, w->size - w->len));
}

size_t rk_cbor_head_size(uint64_t len)
{
	if (len < 24)
		return 1;
	if (len <= 0xff)
		return 2;
	if (len <= 0xffff)
		return 3;
	if (len <= 0xffffffffu)
		return 5;
	return 9;
}

size_t rk_cose_key_p384(const uint8_t x[RK_P384_BYTES], const uint8_t y[RK_P384_BYTES],
			uint8_t *out, size_t size)
{
	struct rk_cbor_w w;

	/* RFC 9052 s7 / RFC 9053 s7.1.1, key order as TF-RMM's t_cose_key_encode(). */
	rk_cbor_init(&w, out, size);
	rk_cbor_map(&w, 4);
	rk_cbor_int(&w, 1); /* kty */
	rk_cbor_int(&w, RK_COSE_KTY_EC2);
	rk_cbor_int(&w, -1); /* crv */
	rk_cbor_int(&w, RK_COSE_CRV_P384);
	rk_cbor_int(&w, -2); /* x */
	rk_cbor_bstr(&w, x, RK_P384_BYTES);
	rk_cbor_int(&w, -3); /* y */
	rk_cbor_bstr(&w, y, RK_P384_BYTES);
	return rk_cbor_ok(&w) ? w.len : 0;
}

int rk_cose_sign1_digest(const uint8_t *prot, size_t prot_len, const uint8_t *payload,
			 size_t payload_len, uint8_t digest[RK_SHA384_BYTES])
{
	uint8_t head[64];
	struct rk_cbor_w w;
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	unsigned int dlen = 0;
	int ok;

	if (!md)
		return -EIO;
	/* RFC 9052 s4.4: Sig_structure = ["Signature1", body_protected, external_aad, payload]. */
	rk_cbor_init(&w, head, sizeof(head));
	rk_cbor_array(&w, 4);
	rk_cbor_tstr(&w, "Signature1");
	rk_cbor_bstr_head(&w, prot_len);
	ok = rk_cbor_ok(&w) && EVP_DigestInit_ex(md, EVP_sha384(), NULL) &&
	     EVP_DigestUpdate(md, head, w.len) && EVP_DigestUpdate(md, prot, prot_len);
	rk_cbor_init(&w, head, sizeof(head));
	rk_cbor_bstr_head(&w, 0); /* external_aad: empty */
	rk_cbor_bstr_head(&w, payload_len);
	ok = ok && rk_cbor_ok(&w) && EVP_DigestUpdate(md, head, w.len) &&
	     EVP_DigestUpdate(md, payload, payload_len) && EVP_DigestFinal_ex(md, digest, &dlen);
	EVP_MD_CTX_free(md);
	return ok && dlen == RK_SHA384_BYTES ? 0 : -EIO;
}

size_t rk_cose_sign1_size(size_t payload_len)
{
	/* tag(1) + array(1) + bstr(protected) + {} + bstr(payload) + bstr(sig) */
	return 1 + 1 + 1 + RK_COSE_PROTECTED_ES384_LEN + 1 + rk_cbor_head_size(payload_len) +
	       payload_len + rk_cbor_head_size(RK_P384_SIG_BYTES) + RK_P384_SIG_BYTES;
}

size_t rk_cose_sign1_write(const uint8_t *payload, size_t payload_len,
			   const uint8_t sig[RK_P384_SIG_BYTES], uint8_t *out, size_t size)
{
	struct rk_cbor_w w;

	/* rmm-v1.0.md s15.1: COSE_Sign1, tag 18, protected {1: -35}, no unprotected headers. */
	rk_cbor_init(&w, out, size);
	rk_cbor_tag(&w, RK_COSE_SIGN1_TAG);
	rk_cbor_array(&w, 4);
	rk_cbor_bstr(&w, RK_COSE_PROTECTED_ES384, RK_COSE_PROTECTED_ES384_LEN);
	rk_cbor_map(&w, 0);
	rk_cbor_bstr(&w, payload, payload_len);
	rk_cbor_bstr(&w, sig, RK_P384_SIG_BYTES);
	return rk_cbor_ok(&w) ? w.len : 0;
}

/* Loads an EC key from PEM: private first, then public. */
static EVP_PKEY *load_pem(const char *path, bool want_private, char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	EVP_PKEY *pkey = NULL;
	char name[32] = "";
	size_t nlen = 0;

	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return NULL;
	}
	pkey = PEM_read_PrivateKey(f, NULL, NULL, NULL);
	if (!pkey && !want_private) {
		rewind(f);
		pkey = PEM_read_PUBKEY(f, NULL, NULL, NULL);
	}
	fclose(f);
	if (!pkey) {
		snprintf(err, errlen, "%s: no PEM %s key", path, want_private ? "private" : "EC");
		return NULL;
	}
	if (!EVP_PKEY_is_a(pkey, "EC") ||
	    !EVP_PKEY_get_utf8_string_param(pkey, OSSL_PKEY_PARAM_GROUP_NAME, name, sizeof(name),
					    &nlen) ||
	    (strcmp(name, "secp384r1") && strcmp(name, "P-384"))) {
		snprintf(err, errlen, "%s: not an EC P-384 key", path);
		EVP_PKEY_free(pkey);
		return NULL;
	}
	return pkey;
}

/* Big-endian, zero-padded to 48 bytes. */
static bool bn_out(const BIGNUM *bn, uint8_t out[RK_P384_BYTES])
{
	return bn && BN_bn2binpad(bn, out, RK_P384_BYTES) == (int)RK_P384_BYTES;
}

int rk_p384_private_from_pem(const char *path, uint8_t priv[RK_P384_BYTES], char *err,
			     size_t errlen)
{
	EVP_PKEY *pkey = load_pem(path, true, err, errlen);
	BIGNUM *d = NULL;
	int ret = -EINVAL;

	if (!pkey)
		return -EINVAL;
	if (EVP_PKEY_get_bn_param(pkey, OSSL_PKEY_PARAM_PRIV_KEY, &d) && bn_out(d, priv) &&
	    rk_p384_private_valid(priv))
		ret = 0;
	else
		snprintf(err, errlen, "%s: cannot read the private scalar", path);
	BN_clear_free(d);
	EVP_PKEY_free(pkey);
	return ret;
}

int rk_p384_public_from_pem(const char *path, uint8_t x[RK_P384_BYTES], uint8_t y[RK_P384_BYTES],
			    char *err, size_t errlen)
{
	EVP_PKEY *pkey = load_pem(path, false, err, errlen);
	BIGNUM *bx = NULL, *by = NULL;
	int ret = -EINVAL;

	if (!pkey)
		return -EINVAL;
	if (EVP_PKEY_get_bn_param(pkey, OSSL_PKEY_PARAM_EC_PUB_X, &bx) &&
	    EVP_PKEY_get_bn_param(pkey, OSSL_PKEY_PARAM_EC_PUB_Y, &by) && bn_out(bx, x) &&
	    bn_out(by, y))
		ret = 0;
	else
		snprintf(err, errlen, "%s: cannot read the public point", path);
	BN_free(bx);
	BN_free(by);
	EVP_PKEY_free(pkey);
	return ret;
}

/* An EVP_PKEY for the public point (x, y) on P-384, NULL if not on the curve. */
static EVP_PKEY *pkey_from_public(const uint8_t x[RK_P384_BYTES], const uint8_t y[RK_P384_BYTES])
{
	uint8_t point[RK_P384_POINT_BYTES];
	char group[] = "secp384r1";
	OSSL_PARAM params[3];
	EVP_PKEY_CTX *pctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL);
	EVP_PKEY *pkey = NULL;

	point[0] = 0x04;
	memcpy(point + 1, x, RK_P384_BYTES);
	memcpy(point + 1 + RK_P384_BYTES, y, RK_P384_BYTES);
	params[0] = OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, group, 0);
	params[1] =
		OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY, point, sizeof(point));
	params[2] = OSSL_PARAM_construct_end();
	if (!pctx || EVP_PKEY_fromdata_init(pctx) <= 0 ||
	    EVP_PKEY_fromdata(pctx, &pkey, EVP_PKEY_PUBLIC_KEY, params) <= 0)
		pkey = NULL;
	EVP_PKEY_CTX_free(pctx);
	return pkey;
}

/* r || s as a DER ECDSA-Sig-Value; returns its length or 0. */
static int sig_to_der(const uint8_t sig[RK_P384_SIG_BYTES], uint8_t *der, size_t size)
{
	ECDSA_SIG *es = ECDSA_SIG_new();
	BIGNUM *r = BN_bin2bn(sig, RK_P384_BYTES, NULL);
	BIGNUM *s = BN_bin2bn(sig + RK_P384_BYTES, RK_P384_BYTES, NULL);
	unsigned char *p = der;
	int len = 0;

	if (es && r && s && ECDSA_SIG_set0(es, r, s)) {
		r = s = NULL; /* owned by es now */
		if (i2d_ECDSA_SIG(es, NULL) <= (int)size)
			len = i2d_ECDSA_SIG(es, &p);
	}
	BN_free(r);
	BN_free(s);
	ECDSA_SIG_free(es);
	return len > 0 ? len : 0;
}

int rk_p384_verify(const uint8_t x[RK_P384_BYTES], const uint8_t y[RK_P384_BYTES],
		   const uint8_t digest[RK_SHA384_BYTES], const uint8_t sig[RK_P384_SIG_BYTES])
{
	uint8_t der[128];
	int der_len = sig_to_der(sig, der, sizeof(der));
	EVP_PKEY *pkey;
	EVP_PKEY_CTX *ctx;
	int ret;

	if (!der_len)
		return -1;
	pkey = pkey_from_public(x, y);
	if (!pkey)
		return 0; /* not a point on P-384: cannot have signed anything */
	ctx = EVP_PKEY_CTX_new(pkey, NULL);
	if (!ctx || EVP_PKEY_verify_init(ctx) <= 0)
		ret = -1;
	else
		ret = EVP_PKEY_verify(ctx, der, (size_t)der_len, digest, RK_SHA384_BYTES) == 1;
	EVP_PKEY_CTX_free(ctx);
	EVP_PKEY_free(pkey);
	return ret;
}
