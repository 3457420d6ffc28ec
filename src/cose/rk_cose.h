/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * COSE and ECDSA P-384 helpers shared by the platform (it signs the platform
 * token), the RMM (it signs realm tokens) and the command line (it verifies
 * both). Nothing here allocates memory that outlives a call, and every
 * structure is plain data, so the RMM may keep them in REC auxiliary granules.
 *
 * Encodings (rmm-v1.0.md s15.1-15.3, RFC 8152 / RFC 9052):
 *  - COSE_Sign1 with the protected header {1 (alg): -35 (ES384)} and an empty
 *    unprotected map; the signature is r || s, 48 + 48 bytes big-endian.
 *  - COSE_Key of an EC2 P-384 public key: {1: 2, -1: 2, -2: x, -3: y}, in
 *    this order (107 bytes), as TF-RMM's t_cose_key_encode() writes it.
 *  - Sig_structure ["Signature1", protected, h'', payload], hashed with
 *    SHA-384 (RFC 9052 s4.4).
 *  - Signatures are deterministic ECDSA (RFC 6979, HMAC-SHA-384), so the
 *    same key and payload always give the same token.
 */
#ifndef REALMKIT_COSE_H
#define REALMKIT_COSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define RK_P384_BYTES	      48u
#define RK_P384_SIG_BYTES     96u /* r || s */
#define RK_P384_POINT_BYTES   97u /* 0x04 || x || y */
#define RK_SHA256_BYTES	      32u
#define RK_SHA384_BYTES	      48u
#define RK_COSE_KEY_P384_SIZE 107u  /* rk_cose_key_p384() output */
#define RK_COSE_ALG_ES384     (-35) /* RFC 9053 s2.1 */
#define RK_COSE_KTY_EC2	      2	    /* RFC 9053 s7.1 */
#define RK_COSE_CRV_P384      2	    /* RFC 9053 s7.1 */
#define RK_COSE_SIGN1_TAG     18    /* RFC 9052 s2 */
/* The protected header every realmkit COSE_Sign1 carries: {1: -35}. */
#define RK_COSE_PROTECTED_ES384	    "\xa1\x01\x38\x22"
#define RK_COSE_PROTECTED_ES384_LEN 4u

/*
 * realmkit's built-in test keys: private scalar = SHA-384(label) mod n
 * (rk_p384_key_from_label()). The platform signs with them unless PEM keys
 * are given; anyone can derive them, so they prove nothing to a verifier
 * beyond "made by an unmodified realmkit".
 */
#define RK_TEST_CPAK_LABEL "realmkit test CPAK (ECDSA P-384) v1"
#define RK_TEST_RAK_LABEL  "realmkit test RAK (ECDSA P-384) v1"

/* ------------------------------------------------------------------------ */
/* Bounded CBOR writer (libcbor's streaming encoders; never allocates)      */
/* ------------------------------------------------------------------------ */

/*
 * Appends CBOR items to a caller's buffer. A write that does not fit sets
 * `overflow` and writes nothing; later writes are ignored, so a sequence of
 * writes is checked once at the end with rk_cbor_ok().
 */
struct rk_cbor_w {
	uint8_t *buf;
	size_t size;
	size_t len;
	bool overflow;
};

/* Starts writing at buf[0]; size is the capacity in bytes. */
void rk_cbor_init(struct rk_cbor_w *w, void *buf, size_t size);

/* True if every write so far fitted. */
bool rk_cbor_ok(const struct rk_cbor_w *w);

/* An integer (major type 0 or 1), shortest form. */
void rk_cbor_int(struct rk_cbor_w *w, int64_t v);

/* The head of a byte string of `len` bytes (the caller appends the bytes). */
void rk_cbor_bstr_head(struct rk_cbor_w *w, size_t len);

/* A byte string. */
void rk_cbor_bstr(struct rk_cbor_w *w, const void *p, size_t len);

/* A text string (NUL-terminated input, not included). */
void rk_cbor_tstr(struct rk_cbor_w *w, const char *s);

/* Heads of a definite-length map (n pairs) and array (n items), and a tag. */
void rk_cbor_map(struct rk_cbor_w *w, size_t n);
void rk_cbor_array(struct rk_cbor_w *w, size_t n);
void rk_cbor_tag(struct rk_cbor_w *w, uint64_t tag);

/* Raw bytes that already are CBOR. */
void rk_cbor_raw(struct rk_cbor_w *w, const void *p, size_t len);

/* Size in bytes of the head of a byte string of `len` bytes (1, 2, 3, 5 or 9). */
size_t rk_cbor_head_size(uint64_t len);

/* ------------------------------------------------------------------------ */
/* P-384 keys                                                               */
/* ------------------------------------------------------------------------ */

/*
 * A deterministic test key: priv = SHA-384(label) mod n (big-endian, 48
 * bytes). Returns 0, or -EINVAL if the result would be zero.
 */
int rk_p384_key_from_label(const char *label, uint8_t priv[RK_P384_BYTES]);

/* True if 0 < priv < n. */
bool rk_p384_private_valid(const uint8_t priv[RK_P384_BYTES]);

/* The public key d*G as affine x, y (big-endian). Returns 0 or -EINVAL. */
int rk_p384_public(const uint8_t priv[RK_P384_BYTES], uint8_t x[RK_P384_BYTES],
		   uint8_t y[RK_P384_BYTES]);

/*
 * Reads a PEM EC P-384 private key (PKCS#8 or SEC1). Returns 0, or -errno
 * with a message in err.
 */
int rk_p384_private_from_pem(const char *path, uint8_t priv[RK_P384_BYTES], char *err,
			     size_t errlen);

/*
 * Reads the public key from a PEM file holding an EC P-384 public key or a
 * private key. Returns 0, or -errno with a message in err.
 */
int rk_p384_public_from_pem(const char *path, uint8_t x[RK_P384_BYTES], uint8_t y[RK_P384_BYTES],
			    char *err, size_t errlen);

/*
 * ECDSA P-384 verification of r || s over a SHA-384 digest. Returns 1 if
 * valid, 0 if not (including a point not on the curve), -1 on an internal
 * failure.
 */
int rk_p384_verify(const uint8_t x[RK_P384_BYTES], const uint8_t y[RK_P384_BYTES],
		   const uint8_t digest[RK_SHA384_BYTES], const uint8_t sig[RK_P384_SIG_BYTES]);

/* ------------------------------------------------------------------------ */
/* COSE                                                                     */
/* ------------------------------------------------------------------------ */

/*
 * Writes the COSE_Key {1: 2 (EC2), -1: 2 (P-384), -2: x, -3: y} to out.
 * Returns its length (RK_COSE_KEY_P384_SIZE), or 0 if size is too small.
 */
size_t rk_cose_key_p384(const uint8_t x[RK_P384_BYTES], const uint8_t y[RK_P384_BYTES],
			uint8_t *out, size_t size);

/*
 * SHA-384 of the Sig_structure ["Signature1", protected, h'', payload]
 * (RFC 9052 s4.4) without building it in memory. Returns 0 or -EIO.
 */
int rk_cose_sign1_digest(const uint8_t *prot, size_t prot_len, const uint8_t *payload,
			 size_t payload_len, uint8_t digest[RK_SHA384_BYTES]);

/*
 * Writes a complete COSE_Sign1: tag 18, [bstr(protected ES384), {},
 * bstr(payload), bstr(sig)]. Returns the length written, 0 if it does not fit.
 */
size_t rk_cose_sign1_write(const uint8_t *payload, size_t payload_len,
			   const uint8_t sig[RK_P384_SIG_BYTES], uint8_t *out, size_t size);

/* Length rk_cose_sign1_write() produces for a payload of payload_len bytes. */
size_t rk_cose_sign1_size(size_t payload_len);

/* ------------------------------------------------------------------------ */
/* Deterministic ECDSA P-384 in bounded steps                               */
/* ------------------------------------------------------------------------ */

/*
 * Scalar bits of k*G processed per RK_ECDSA_MUL step: each such step does
 * exactly RK_ECDSA_BITS_PER_STEP point doublings, one addition per 4 bits
 * and 14 operations for its table of 1..15 * G, so
 * a signature takes 1 (nonce) + 384 / RK_ECDSA_BITS_PER_STEP (multiply) +
 * 1 (finish) steps.
 */
#define RK_ECDSA_BITS_PER_STEP 64u
#define RK_ECDSA_MUL_STEPS     (384u / RK_ECDSA_BITS_PER_STEP)
#define RK_ECDSA_MAX_NONCES    4u /* RFC 6979 candidates tried before giving up */

enum rk_ecdsa_phase {
	RK_ECDSA_NONCE = 0, /* next RFC 6979 candidate k */
	RK_ECDSA_MUL,	    /* R = k*G, RK_ECDSA_BITS_PER_STEP bits per step */
	RK_ECDSA_FINISH,    /* r = R.x mod n, s = k^-1 (e + r d) mod n */
	RK_ECDSA_DONE,
	RK_ECDSA_FAILED,
};

enum rk_step_result {
	RK_STEP_IN_PROGRESS = 0,
	RK_STEP_DONE,
	RK_STEP_ERROR,
};

/*
 * Signing state between steps: plain bytes, no pointers, no library
 * objects (each step creates and frees its OpenSSL objects). The private
 * key is not kept here: every step takes it again.
 */
struct rk_ecdsa_ctx {
	uint8_t digest[RK_SHA384_BYTES];
	uint8_t hmac_k[RK_SHA384_BYTES]; /* RFC 6979 K */
	uint8_t hmac_v[RK_SHA384_BYTES]; /* RFC 6979 V */
	uint8_t k[RK_P384_BYTES];
	uint8_t acc[RK_P384_POINT_BYTES]; /* partial k*G, SEC1 encoding */
	uint8_t acc_len;		  /* 1 = point at infinity */
	uint8_t phase;			  /* enum rk_ecdsa_phase */
	uint8_t nonces;			  /* candidates drawn so far */
	uint8_t pad;
	uint16_t bit; /* next scalar bit to process, counting down from 384 */
	uint16_t pad2;
	uint8_t sig[RK_P384_SIG_BYTES]; /* r || s once DONE */
};

/* Starts signing a SHA-384 digest. */
void rk_ecdsa_start(struct rk_ecdsa_ctx *ctx, const uint8_t digest[RK_SHA384_BYTES]);

/* One bounded step with private key priv (the same key at every step). */
enum rk_step_result rk_ecdsa_step(struct rk_ecdsa_ctx *ctx, const uint8_t priv[RK_P384_BYTES]);

/* Runs every step: sig = r || s. Returns 0 or -EIO. */
int rk_ecdsa_sign(const uint8_t priv[RK_P384_BYTES], const uint8_t digest[RK_SHA384_BYTES],
		  uint8_t sig[RK_P384_SIG_BYTES]);

#endif /* REALMKIT_COSE_H */
