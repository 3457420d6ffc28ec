/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * CCA token decoder (token_decode.h). libcbor's streaming decoder is the
 * lexer: one call yields one item head (with a definite string's bytes);
 * this file checks the token's schema on top of it and keeps spans into
 * the input. Indefinite-length items are refused: the CCA token profile
 * uses definite lengths only.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <cbor.h>

#include "token_decode.h"

enum item_kind {
	IT_UINT,
	IT_NEGINT, /* value holds -1 - n */
	IT_BSTR,
	IT_TSTR,
	IT_ARRAY,
	IT_MAP,
	IT_TAG,
	IT_SIMPLE,     /* false, true, null, undefined, floats */
	IT_INDEFINITE, /* any indefinite-length start or break */
};

struct item {
	enum item_kind kind;
	uint64_t value; /* integer, tag, or element count */
	struct cca_span str;
};

/* A cursor over one CBOR byte range; errors go to err once (the first wins). */
struct rd {
	const uint8_t *p, *end, *start;
	char *err;
	size_t errlen;
	bool failed;
	const char *what; /* part being decoded, for messages */
};

static bool fail(struct rd *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static bool fail(struct rd *r, const char *fmt, ...)
{
	char msg[160];
	va_list ap;

	if (r->failed)
		return false;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(r->err, r->errlen, "%s: %s", r->what, msg);
	r->failed = true;
	return false;
}

/* libcbor callbacks: each records the item it reports. */
#define CB_UINT(name, type)                 \
	static void name(void *ctx, type v) \
	{                                   \
		struct item *it = ctx;      \
		it->kind = IT_UINT;         \
		it->value = v;              \
	}
#define CB_NEG(name, type)                  \
	static void name(void *ctx, type v) \
	{                                   \
		struct item *it = ctx;      \
		it->kind = IT_NEGINT;       \
		it->value = v;              \
	}
CB_UINT(cb_u8, uint8_t)
CB_UINT(cb_u16, uint16_t)
CB_UINT(cb_u32, uint32_t)
CB_UINT(cb_u64, uint64_t)
CB_NEG(cb_n8, uint8_t)
CB_NEG(cb_n16, uint16_t)
CB_NEG(cb_n32, uint32_t)
CB_NEG(cb_n64, uint64_t)

static void cb_bstr(void *ctx, cbor_data p, size_t len)
{
	struct item *it = ctx;

	it->kind = IT_BSTR;
	it->str.p = p;
	it->str.len = len;
}

static void cb_tstr(void *ctx, cbor_data p, size_t len)
{
	struct item *it = ctx;

	it->kind = IT_TSTR;
	it->str.p = p;
	it->str.len = len;
}

static void cb_array(void *ctx, size_t n)
{
	struct item *it = ctx;

	it->kind = IT_ARRAY;
	it->value = n;
}

static void cb_map(void *ctx, size_t n)
{
	struct item *it = ctx;

	it->kind = IT_MAP;
	it->value = n;
}

static void cb_tag(void *ctx, uint64_t tag)
{
	struct item *it = ctx;

	it->kind = IT_TAG;
	it->value = tag;
}

static void cb_indef(void *ctx)
{
	((struct item *)ctx)->kind = IT_INDEFINITE;
}

static void cb_simple(void *ctx)
{
	((struct item *)ctx)->kind = IT_SIMPLE;
}

static void cb_float(void *ctx, float f)
{
	(void)f;
	((struct item *)ctx)->kind = IT_SIMPLE;
}

static void cb_double(void *ctx, double d)
{
	(void)d;
	((struct item *)ctx)->kind = IT_SIMPLE;
}

static void cb_bool(void *ctx, bool b)
{
	(void)b;
	((struct item *)ctx)->kind = IT_SIMPLE;
}

static const struct cbor_callbacks lexer = {
	.uint8 = cb_u8,
	.uint16 = cb_u16,
	.uint32 = cb_u32,
	.uint64 = cb_u64,
	.negint8 = cb_n8,
	.negint16 = cb_n16,
	.negint32 = cb_n32,
	.negint64 = cb_n64,
	.byte_string_start = cb_indef,
	.byte_string = cb_bstr,
	.string = cb_tstr,
	.string_start = cb_indef,
	.indef_array_start = cb_indef,
	.array_start = cb_array,
	.indef_map_start = cb_indef,
	.map_start = cb_map,
	.tag = cb_tag,
	.float2 = cb_float,
	.float4 = cb_float,
	.float8 = cb_double,
	.undefined = cb_simple,
	.null = cb_simple,
	.boolean = cb_bool,
	.indef_break = cb_indef,
};

static const char *kind_name(enum item_kind k)
{
	static const char *const names[] = { "unsigned integer",
					     "negative integer",
					     "byte string",
					     "text string",
					     "array",
					     "map",
					     "tag",
					     "simple value",
					     "indefinite-length item" };

	return names[k];
}

/* Reads the next item head; strings come with their bytes. */
static bool next(struct rd *r, struct item *it)
{
	struct cbor_decoder_result res;
	size_t left = (size_t)(r->end - r->p);

	if (r->failed)
		return false;
	if (!left)
		return fail(r, "truncated CBOR (an item is missing)");
	memset(it, 0, sizeof(*it));
	/*
	 * libcbor 0.8's streaming decoder rejects the one-byte tag heads 0xc6..0xd4
	 * as "unassigned", which includes tag 18 (COSE_Sign1): decode all
	 * one-byte tag heads (0xc0..0xd7, tags 0..23, RFC 8949 s3.4) here.
	 */
	if (*r->p >= 0xc0 && *r->p <= 0xd7) {
		it->kind = IT_TAG;
		it->value = *r->p++ - 0xc0u;
		return true;
	}
	res = cbor_stream_decode(r->p, left, &lexer, it);
	if (res.status == CBOR_DECODER_NEDATA)
		return fail(r, "truncated CBOR (an item needs %zu more bytes)",
			    res.required > left ? res.required - left : (size_t)1);
	if (res.status != CBOR_DECODER_FINISHED || res.read == 0 || res.read > left)
		return fail(r, "malformed CBOR at offset %zu", (size_t)(r->p - r->start));
	if (it->kind == IT_INDEFINITE)
		return fail(r, "indefinite-length items are not allowed");
	/*
	 * A string must lie inside the input and end where the item ends (this
	 * also refuses lengths near 2^64 that could wrap the lexer's arithmetic).
	 */
	if ((it->kind == IT_BSTR || it->kind == IT_TSTR) &&
	    (it->str.p < r->p || it->str.p > r->end || it->str.len > (size_t)(r->end - it->str.p) ||
	     it->str.p + it->str.len != r->p + res.read))
		return fail(r, "malformed string");
	r->p += res.read;
	return true;
}

static bool expect(struct rd *r, struct item *it, enum item_kind kind, const char *field)
{
	if (!next(r, it))
		return false;
	if (it->kind != kind)
		return fail(r, "%s: expected a %s, found a %s", field, kind_name(kind),
			    kind_name(it->kind));
	return true;
}

/* Skips one whole item (an unknown claim's value), depth-limited. */
static bool skip(struct rd *r, unsigned int depth)
{
	struct item it;
	uint64_t n;

	if (depth > CCA_MAX_DEPTH)
		return fail(r, "nesting deeper than %u", CCA_MAX_DEPTH);
	if (!next(r, &it))
		return false;
	switch (it.kind) {
	case IT_TAG:
		return skip(r, depth + 1);
	case IT_ARRAY:
	case IT_MAP:
		n = it.value;
		/* Every item takes at least one byte: a larger count is truncated. */
		if (n > (uint64_t)(r->end - r->p) || (it.kind == IT_MAP && n > SIZE_MAX / 2))
			return fail(r, "truncated CBOR (%s of %llu entries)", kind_name(it.kind),
				    (unsigned long long)n);
		if (it.kind == IT_MAP)
			n *= 2;
		for (uint64_t i = 0; i < n; i++)
			if (!skip(r, depth + 1))
				return false;
		return true;
	default:
		return true;
	}
}

/* A claim key: an integer, as signed 64-bit. */
static bool read_key(struct rd *r, int64_t *key)
{
	struct item it;

	if (!next(r, &it))
		return false;
	if (it.kind == IT_UINT && it.value <= INT64_MAX)
		*key = (int64_t)it.value;
	else if (it.kind == IT_NEGINT && it.value <= INT64_MAX)
		*key = -1 - (int64_t)it.value;
	else
		return fail(r, "claim key: expected an integer, found a %s", kind_name(it.kind));
	return true;
}

/* A byte or text string of min..max bytes. */
static bool read_span(struct rd *r, enum item_kind kind, size_t min, size_t max, const char *field,
		      struct cca_span *out)
{
	struct item it;

	if (!expect(r, &it, kind, field))
		return false;
	if (it.str.len < min || it.str.len > max) {
		if (min == max)
			return fail(r, "%s: %zu bytes, expected %zu", field, it.str.len, min);
		return fail(r, "%s: %zu bytes, expected %zu to %zu", field, it.str.len, min, max);
	}
	*out = it.str;
	return true;
}

static bool read_uint(struct rd *r, uint64_t max, const char *field, uint64_t *out)
{
	struct item it;

	if (!expect(r, &it, IT_UINT, field))
		return false;
	if (it.value > max)
		return fail(r, "%s: %llu is out of range", field, (unsigned long long)it.value);
	*out = it.value;
	return true;
}

/* A reader over a nested byte string (a payload, a header, a key). */
static struct rd sub_rd(const struct rd *parent, struct cca_span s, const char *what)
{
	struct rd r = { s.p, s.p + s.len, s.p, parent->err, parent->errlen, parent->failed, what };

	return r;
}

/* Ends a nested reader: nothing may follow its item; errors go to the parent. */
static bool close_rd(struct rd *parent, struct rd *r)
{
	if (!r->failed && r->p != r->end)
		fail(r, "%zu trailing bytes", (size_t)(r->end - r->p));
	parent->failed = parent->failed || r->failed;
	return !parent->failed;
}

/* A map head of at most CCA_MAX_CLAIMS entries. */
static bool open_map(struct rd *r, const char *field, uint64_t *n)
{
	struct item it;

	if (!expect(r, &it, IT_MAP, field))
		return false;
	if (it.value > CCA_MAX_CLAIMS)
		return fail(r, "%s: %llu entries, at most %u", field, (unsigned long long)it.value,
			    CCA_MAX_CLAIMS);
	*n = it.value;
	return true;
}

/* Records a key in encoding order; a key seen before is an error. */
static bool note_key(struct rd *r, int64_t key, int64_t *order, unsigned int *n)
{
	for (unsigned int i = 0; i < *n; i++)
		if (order[i] == key)
			return fail(r, "claim %lld appears twice", (long long)key);
	order[(*n)++] = key;
	return true;
}

/* COSE_Key of an EC2 P-384 key (RFC 9052 s7): kty 2, crv 2, x and y of 48 bytes. */
static bool parse_cose_key(struct rd *parent, struct cca_span key, uint8_t x[48], uint8_t y[48])
{
	struct rd r = sub_rd(parent, key, "realm claim 44237 (RAK COSE_Key)");
	int64_t order[CCA_MAX_CLAIMS], label;
	unsigned int n_keys = 0, seen = 0;
	struct cca_span sx = { 0 }, sy = { 0 };
	uint64_t n, v;

	if (!open_map(&r, "COSE_Key", &n))
		return close_rd(parent, &r);
	for (uint64_t i = 0; i < n && !r.failed; i++) {
		if (!read_key(&r, &label) || !note_key(&r, label, order, &n_keys))
			break;
		if (label == 1 && read_uint(&r, UINT64_MAX, "kty (1)", &v)) {
			seen |= 1;
			if (v != 2)
				fail(&r, "kty %llu, expected 2 (EC2)", (unsigned long long)v);
		} else if (label == -1 && read_uint(&r, UINT64_MAX, "crv (-1)", &v)) {
			seen |= 2;
			if (v != 2)
				fail(&r, "crv %llu, expected 2 (P-384)", (unsigned long long)v);
		} else if (label == -2 && read_span(&r, IT_BSTR, 48, 48, "x (-2)", &sx)) {
			seen |= 4;
		} else if (label == -3 && read_span(&r, IT_BSTR, 48, 48, "y (-3)", &sy)) {
			seen |= 8;
		} else if (label < -3 || label > 1 || label == 0) {
			skip(&r, 1);
		}
	}
	if (!r.failed && seen != 15)
		fail(&r, "kty, crv, x and y are required");
	if (!r.failed) {
		memcpy(x, sx.p, 48);
		memcpy(y, sy.p, 48);
	}
	return close_rd(parent, &r);
}

enum realm_bits {
	RB_CHALLENGE = 1 << 0,
	RB_RPV = 1 << 1,
	RB_PUB_KEY = 1 << 2,
	RB_HASH = 1 << 3,
	RB_PK_HASH = 1 << 4,
	RB_PROFILE = 1 << 5,
	RB_RIM = 1 << 6,
	RB_REMS = 1 << 7,
	RB_ALL = (1 << 8) - 1,
};

static bool read_rems(struct rd *r, struct cca_realm_claims *c)
{
	struct item it;

	if (!expect(r, &it, IT_ARRAY, "REMs (44239)"))
		return false;
	if (it.value != 4)
		return fail(r, "REMs (44239): %llu entries, expected 4",
			    (unsigned long long)it.value);
	for (unsigned int i = 0; i < 4; i++)
		if (!read_span(r, IT_BSTR, 32, 64, "REM (44239)", &c->rems[i]))
			return false;
	return true;
}

/* One realm claim (rmm-v1.0.md s15.2); unknown keys are skipped. */
static bool realm_claim(struct rd *r, int64_t key, struct cca_realm_claims *c, unsigned int *seen)
{
	switch (key) {
	case 10:
		*seen |= RB_CHALLENGE;
		return read_span(r, IT_BSTR, 64, 64, "challenge (10)", &c->challenge);
	case 44235:
		*seen |= RB_RPV;
		return read_span(r, IT_BSTR, 64, 64, "personalization value (44235)", &c->rpv);
	case 44237:
		*seen |= RB_PUB_KEY;
		return read_span(r, IT_BSTR, 1, 256, "public key (44237)", &c->pub_key) &&
		       parse_cose_key(r, c->pub_key, c->rak_x, c->rak_y);
	case 44236:
		*seen |= RB_HASH;
		return read_span(r, IT_TSTR, 1, 32, "hash algorithm (44236)", &c->hash_algo);
	case 44240:
		*seen |= RB_PK_HASH;
		return read_span(r, IT_TSTR, 1, 32, "public key hash algorithm (44240)",
				 &c->pub_key_hash_algo);
	case 265:
		*seen |= RB_PROFILE;
		return read_span(r, IT_TSTR, 1, 128, "profile (265)", &c->profile);
	case 44238:
		*seen |= RB_RIM;
		return read_span(r, IT_BSTR, 32, 64, "RIM (44238)", &c->rim);
	case 44239:
		*seen |= RB_REMS;
		return read_rems(r, c);
	default:
		return skip(r, 1);
	}
}

static const struct {
	unsigned int bit;
	const char *name;
} realm_required[] = {
	{ RB_CHALLENGE, "challenge (10)" },
	{ RB_RPV, "personalization value (44235)" },
	{ RB_PUB_KEY, "public key (44237)" },
	{ RB_HASH, "hash algorithm (44236)" },
	{ RB_PK_HASH, "public key hash algorithm (44240)" },
	{ RB_PROFILE, "profile (265)" },
	{ RB_RIM, "RIM (44238)" },
	{ RB_REMS, "REMs (44239)" },
};

static void decode_realm_claims(struct rd *parent, struct cca_span payload,
				struct cca_realm_claims *c)
{
	struct rd r = sub_rd(parent, payload, "realm claims");
	unsigned int seen = 0;
	uint64_t n;
	int64_t key;

	if (open_map(&r, "claims", &n))
		for (uint64_t i = 0; i < n; i++)
			if (!read_key(&r, &key) || !note_key(&r, key, c->order, &c->n_claims) ||
			    !realm_claim(&r, key, c, &seen))
				break;
	for (size_t i = 0; !r.failed && i < sizeof(realm_required) / sizeof(realm_required[0]); i++)
		if (!(seen & realm_required[i].bit))
			fail(&r, "claim %s is missing", realm_required[i].name);
	close_rd(parent, &r);
}

/* One software component map {1: type, 2: value, 4: version, 5: signer id, 6: hash algo}. */
static bool read_sw_component(struct rd *r, struct cca_sw_component *sw)
{
	int64_t order[CCA_MAX_CLAIMS], key;
	unsigned int n_keys = 0, seen = 0;
	uint64_t n;

	if (!open_map(r, "software component", &n))
		return false;
	for (uint64_t i = 0; i < n; i++) {
		bool ok;

		if (!read_key(r, &key) || !note_key(r, key, order, &n_keys))
			return false;
		if (key == 1)
			ok = read_span(r, IT_TSTR, 0, 64, "component type (1)", &sw->type);
		else if (key == 2)
			ok = read_span(r, IT_BSTR, 1, 64, "measurement value (2)", &sw->value);
		else if (key == 4)
			ok = read_span(r, IT_TSTR, 0, 64, "component version (4)", &sw->version);
		else if (key == 5)
			ok = read_span(r, IT_BSTR, 1, 64, "signer id (5)", &sw->signer_id);
		else if (key == 6)
			ok = read_span(r, IT_TSTR, 1, 32, "hash algorithm (6)", &sw->hash_algo);
		else
			ok = skip(r, 2);
		if (!ok)
			return false;
		seen |= key == 2 ? 1u : key == 5 ? 2u : 0u;
	}
	if (seen != 3)
		return fail(r, "software component: measurement value (2) and signer id (5) are "
			       "required");
	return true;
}

static bool read_sw_components(struct rd *r, struct cca_platform_claims *c)
{
	struct item it;

	if (!expect(r, &it, IT_ARRAY, "software components (2399)"))
		return false;
	if (it.value > CCA_MAX_SW_COMPONENTS)
		return fail(r, "software components (2399): %llu entries, at most %u",
			    (unsigned long long)it.value, CCA_MAX_SW_COMPONENTS);
	c->n_sw = (unsigned int)it.value;
	for (unsigned int i = 0; i < c->n_sw; i++)
		if (!read_sw_component(r, &c->sw[i]))
			return false;
	return true;
}

enum platform_bits {
	PB_PROFILE = 1 << 0,
	PB_CHALLENGE = 1 << 1,
	PB_IMPL = 1 << 2,
	PB_INSTANCE = 1 << 3,
	PB_CONFIG = 1 << 4,
	PB_LIFECYCLE = 1 << 5,
	PB_HASH = 1 << 6,
	PB_SW = 1 << 7,
};

/* One platform claim (CCA platform token); unknown keys are skipped. */
static bool platform_claim(struct rd *r, int64_t key, struct cca_platform_claims *c,
			   unsigned int *seen)
{
	switch (key) {
	case 265:
		*seen |= PB_PROFILE;
		return read_span(r, IT_TSTR, 1, 128, "profile (265)", &c->profile);
	case 10:
		*seen |= PB_CHALLENGE;
		return read_span(r, IT_BSTR, 32, 64, "challenge (10)", &c->challenge);
	case 2396:
		*seen |= PB_IMPL;
		return read_span(r, IT_BSTR, 1, 64, "implementation id (2396)",
				 &c->implementation_id);
	case 256:
		*seen |= PB_INSTANCE;
		return read_span(r, IT_BSTR, 1, 64, "instance id (256)", &c->instance_id);
	case 2401:
		*seen |= PB_CONFIG;
		return read_span(r, IT_BSTR, 0, 256, "configuration (2401)", &c->config);
	case 2395:
		*seen |= PB_LIFECYCLE;
		return read_uint(r, 0xffff, "security lifecycle (2395)", &c->lifecycle);
	case 2402:
		*seen |= PB_HASH;
		return read_span(r, IT_TSTR, 1, 32, "hash algorithm (2402)", &c->hash_algo);
	case 2400:
		return read_span(r, IT_TSTR, 0, 256, "verification service (2400)",
				 &c->verification_service);
	case 2399:
		*seen |= PB_SW;
		return read_sw_components(r, c);
	default:
		return skip(r, 1);
	}
}

static const struct {
	unsigned int bit;
	const char *name;
} platform_required[] = {
	{ PB_PROFILE, "profile (265)" },	 { PB_CHALLENGE, "challenge (10)" },
	{ PB_IMPL, "implementation id (2396)" }, { PB_INSTANCE, "instance id (256)" },
	{ PB_CONFIG, "configuration (2401)" },	 { PB_LIFECYCLE, "security lifecycle (2395)" },
	{ PB_HASH, "hash algorithm (2402)" },	 { PB_SW, "software components (2399)" },
};

static void decode_platform_claims(struct rd *parent, struct cca_span payload,
				   struct cca_platform_claims *c)
{
	struct rd r = sub_rd(parent, payload, "platform claims");
	unsigned int seen = 0;
	uint64_t n;
	int64_t key;

	if (open_map(&r, "claims", &n))
		for (uint64_t i = 0; i < n; i++)
			if (!read_key(&r, &key) || !note_key(&r, key, c->order, &c->n_claims) ||
			    !platform_claim(&r, key, c, &seen))
				break;
	for (size_t i = 0;
	     !r.failed && i < sizeof(platform_required) / sizeof(platform_required[0]); i++)
		if (!(seen & platform_required[i].bit))
			fail(&r, "claim %s is missing", platform_required[i].name);
	close_rd(parent, &r);
}

/* The protected header: a map with the algorithm (label 1). */
static void decode_protected(struct rd *parent, struct cca_sign1 *s, const char *what)
{
	struct rd r = sub_rd(parent, s->protected, what);
	int64_t order[CCA_MAX_CLAIMS], key;
	unsigned int n_keys = 0;
	bool have_alg = false;
	struct item it;
	uint64_t n;

	if (open_map(&r, "protected header", &n))
		for (uint64_t i = 0; i < n; i++) {
			if (!read_key(&r, &key) || !note_key(&r, key, order, &n_keys))
				break;
			if (key != 1) {
				if (!skip(&r, 1))
					break;
				continue;
			}
			if (!next(&r, &it))
				break;
			if (it.kind != IT_NEGINT && it.kind != IT_UINT) {
				fail(&r, "alg (1): expected an integer, found a %s",
				     kind_name(it.kind));
				break;
			}
			s->alg = it.kind == IT_UINT ? (int64_t)(it.value & INT64_MAX)
						    : -1 - (int64_t)(it.value & INT64_MAX);
			have_alg = true;
		}
	if (!r.failed && !have_alg)
		fail(&r, "alg (1) is missing");
	close_rd(parent, &r);
}

/* COSE_Sign1 (RFC 9052 s4.2): tag 18, [protected bstr, unprotected map, payload, signature]. */
static void decode_sign1(struct rd *parent, struct cca_span raw, const char *what,
			 struct cca_sign1 *s)
{
	struct rd r = sub_rd(parent, raw, what);
	struct cca_span sig = { 0 };
	struct item it;
	uint64_t n;

	s->raw = raw;
	if (!expect(&r, &it, IT_TAG, "COSE_Sign1 tag"))
		goto out;
	if (it.value != 18) {
		fail(&r, "tag %llu, expected 18 (COSE_Sign1)", (unsigned long long)it.value);
		goto out;
	}
	if (!expect(&r, &it, IT_ARRAY, "COSE_Sign1"))
		goto out;
	if (it.value != 4) {
		fail(&r, "COSE_Sign1: %llu entries, expected 4", (unsigned long long)it.value);
		goto out;
	}
	if (!read_span(&r, IT_BSTR, 1, 64, "protected header", &s->protected) ||
	    !open_map(&r, "unprotected header", &n))
		goto out;
	for (uint64_t i = 0; i < 2 * n; i++)
		if (!skip(&r, 1))
			goto out;
	if (!read_span(&r, IT_BSTR, 1, CCA_MAX_TOKEN_SIZE, "payload", &s->payload) ||
	    !read_span(&r, IT_BSTR, 96, 96, "signature", &sig))
		goto out;
	memcpy(s->signature, sig.p, 96);
	decode_protected(&r, s, what);
out:
	close_rd(parent, &r);
}

int cca_token_decode(const uint8_t *buf, size_t len, struct cca_token *out, char *err,
		     size_t errlen)
{
	char local[8];
	struct rd r = { buf, buf + len, buf, err, errlen, false, "CCA token" };
	struct cca_span plat = { 0 }, realm = { 0 };
	struct item it;
	int64_t key;

	if (!err || !errlen) {
		r.err = local;
		r.errlen = sizeof(local);
	}
	memset(out, 0, sizeof(*out));
	if (len > CCA_MAX_TOKEN_SIZE)
		return fail(&r, "%zu bytes, more than %u", len, CCA_MAX_TOKEN_SIZE), -1;
	/* rmm-v1.0.md s15.3: tag 399 {44234: platform token, 44241: realm token}. */
	if (!expect(&r, &it, IT_TAG, "CCA token tag"))
		return -1;
	if (it.value != 399)
		return fail(&r, "tag %llu, expected 399", (unsigned long long)it.value), -1;
	if (!expect(&r, &it, IT_MAP, "collection"))
		return -1;
	if (it.value != 2)
		return fail(&r, "collection: %llu entries, expected 2",
			    (unsigned long long)it.value),
		       -1;
	for (int i = 0; i < 2; i++) {
		struct cca_span *dst;

		if (!read_key(&r, &key))
			return -1;
		dst = key == 44234 ? &plat : key == 44241 ? &realm : NULL;
		if (!dst)
			return fail(&r, "unexpected key %lld (expected 44234 and 44241)",
				    (long long)key),
			       -1;
		if (dst->p)
			return fail(&r, "key %lld appears twice", (long long)key), -1;
		if (!read_span(&r, IT_BSTR, 1, CCA_MAX_TOKEN_SIZE,
			       key == 44234 ? "platform token (44234)" : "realm token (44241)",
			       dst))
			return -1;
	}
	if (r.p != r.end)
		return fail(&r, "%zu trailing bytes after the token", (size_t)(r.end - r.p)), -1;
	decode_sign1(&r, plat, "platform token", &out->platform);
	if (!r.failed)
		decode_platform_claims(&r, out->platform.payload, &out->pclaims);
	if (!r.failed)
		decode_sign1(&r, realm, "realm token", &out->realm);
	if (!r.failed)
		decode_realm_claims(&r, out->realm.payload, &out->rclaims);
	return r.failed ? -1 : 0;
}
