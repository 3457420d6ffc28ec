/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * CCA token decoder (token_decode.h). libcbor's streaming decoder is the
 * lexer: one call yields one item head (with a definite string's bytes);
 * this file checks the token's schema on top of it and keeps spans into
 * the input. Indefinite-length items are refused: the CCA token profile
 * uses definite lengths only.
 */
#include <stdarg.h>
#include <stddef.h>
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
#define CB_INT(name, type, k)               \
	static void name(void *ctx, type v) \
	{                                   \
		struct item *it = ctx;      \
		it->kind = k;               \
		it->value = v;              \
	}
CB_INT(cb_u8, uint8_t, IT_UINT)
CB_INT(cb_u16, uint16_t, IT_UINT)
CB_INT(cb_u32, uint32_t, IT_UINT)
CB_INT(cb_u64, uint64_t, IT_UINT)
CB_INT(cb_n8, uint8_t, IT_NEGINT)
CB_INT(cb_n16, uint16_t, IT_NEGINT)
CB_INT(cb_n32, uint32_t, IT_NEGINT)
CB_INT(cb_n64, uint64_t, IT_NEGINT)

static void str_item(void *ctx, enum item_kind kind, cbor_data p, size_t len)
{
	struct item *it = ctx;

	it->kind = kind;
	it->str.p = p;
	it->str.len = len;
}

static void count_item(void *ctx, enum item_kind kind, uint64_t n)
{
	struct item *it = ctx;

	it->kind = kind;
	it->value = n;
}

static void cb_bstr(void *ctx, cbor_data p, size_t len)
{
	str_item(ctx, IT_BSTR, p, len);
}

static void cb_tstr(void *ctx, cbor_data p, size_t len)
{
	str_item(ctx, IT_TSTR, p, len);
}

static void cb_array(void *ctx, size_t n)
{
	count_item(ctx, IT_ARRAY, n);
}

static void cb_map(void *ctx, size_t n)
{
	count_item(ctx, IT_MAP, n);
}

static void cb_tag(void *ctx, uint64_t tag)
{
	count_item(ctx, IT_TAG, tag);
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

/*
 * One claim of a claims map. A string claim (kind IT_BSTR or IT_TSTR) is a
 * span of min..max bytes stored at off in the claims structure; any other
 * kind is read by the map's own function (claim_fn).
 */
struct claim_rule {
	int64_t key;
	const char *name;
	bool required;
	enum item_kind kind;
	size_t min, max, off;
};

typedef bool claim_fn(struct rd *r, int64_t key, void *claims);

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#define SPAN_CLAIM(key, name, kind, min, max, type, field)             \
	{                                                              \
		key, name, true, kind, min, max, offsetof(type, field) \
	}

/* Reads the value of a known claim. */
static bool read_claim(struct rd *r, const struct claim_rule *rule, claim_fn *other, void *claims)
{
	if (rule->kind != IT_BSTR && rule->kind != IT_TSTR)
		return other(r, rule->key, claims);
	return read_span(r, rule->kind, rule->min, rule->max, rule->name,
			 (struct cca_span *)((char *)claims + rule->off));
}

/* The claims map in payload: each key at most once, every required claim present. */
static void decode_claims(struct rd *parent, struct cca_span payload, const char *what,
			  const struct claim_rule *rules, size_t n_rules, claim_fn *other,
			  void *claims, int64_t *order, unsigned int *n_claims)
{
	struct rd r = sub_rd(parent, payload, what);
	uint64_t n, seen = 0;
	int64_t key;
	size_t j;

	if (open_map(&r, "claims", &n))
		for (uint64_t i = 0; i < n; i++) {
			if (!read_key(&r, &key) || !note_key(&r, key, order, n_claims))
				break;
			for (j = 0; j < n_rules && rules[j].key != key; j++)
				;
			/* Unknown keys are skipped. */
			seen |= j < n_rules ? 1ull << j : 0;
			if (j < n_rules ? !read_claim(&r, &rules[j], other, claims) : !skip(&r, 1))
				break;
		}
	for (j = 0; !r.failed && j < n_rules; j++)
		if (rules[j].required && !(seen & (1ull << j)))
			fail(&r, "claim %s is missing", rules[j].name);
	close_rd(parent, &r);
}

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

/* The realm claims that are not plain strings (rmm-v1.0.md s15.2). */
static bool realm_claim(struct rd *r, int64_t key, void *claims)
{
	struct cca_realm_claims *c = claims;

	if (key == 44239)
		return read_rems(r, c);
	return read_span(r, IT_BSTR, 1, 256, "public key (44237)", &c->pub_key) &&
	       parse_cose_key(r, c->pub_key, c->rak_x, c->rak_y);
}

/* The realm claims (rmm-v1.0.md s15.2), all required, in the order they are checked. */
static const struct claim_rule realm_rules[] = {
	SPAN_CLAIM(10, "challenge (10)", IT_BSTR, 64, 64, struct cca_realm_claims, challenge),
	SPAN_CLAIM(44235, "personalization value (44235)", IT_BSTR, 64, 64, struct cca_realm_claims,
		   rpv),
	{ 44237, "public key (44237)", true, IT_MAP, 0, 0, 0 },
	SPAN_CLAIM(44236, "hash algorithm (44236)", IT_TSTR, 1, 32, struct cca_realm_claims,
		   hash_algo),
	SPAN_CLAIM(44240, "public key hash algorithm (44240)", IT_TSTR, 1, 32,
		   struct cca_realm_claims, pub_key_hash_algo),
	SPAN_CLAIM(265, "profile (265)", IT_TSTR, 1, 128, struct cca_realm_claims, profile),
	SPAN_CLAIM(44238, "RIM (44238)", IT_BSTR, 32, 64, struct cca_realm_claims, rim),
	{ 44239, "REMs (44239)", true, IT_ARRAY, 0, 0, 0 },
};

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

/* The platform claims that are not plain strings. */
static bool platform_claim(struct rd *r, int64_t key, void *claims)
{
	struct cca_platform_claims *c = claims;

	if (key == 2399)
		return read_sw_components(r, c);
	return read_uint(r, 0xffff, "security lifecycle (2395)", &c->lifecycle);
}

/* The platform claims (CCA platform token), in the order the required ones are checked. */
static const struct claim_rule platform_rules[] = {
	SPAN_CLAIM(265, "profile (265)", IT_TSTR, 1, 128, struct cca_platform_claims, profile),
	SPAN_CLAIM(10, "challenge (10)", IT_BSTR, 32, 64, struct cca_platform_claims, challenge),
	SPAN_CLAIM(2396, "implementation id (2396)", IT_BSTR, 1, 64, struct cca_platform_claims,
		   implementation_id),
	SPAN_CLAIM(256, "instance id (256)", IT_BSTR, 1, 64, struct cca_platform_claims,
		   instance_id),
	SPAN_CLAIM(2401, "configuration (2401)", IT_BSTR, 0, 256, struct cca_platform_claims,
		   config),
	{ 2395, "security lifecycle (2395)", true, IT_UINT, 0, 0, 0 },
	SPAN_CLAIM(2402, "hash algorithm (2402)", IT_TSTR, 1, 32, struct cca_platform_claims,
		   hash_algo),
	{ 2400, "verification service (2400)", false, IT_TSTR, 0, 256,
	  offsetof(struct cca_platform_claims, verification_service) },
	{ 2399, "software components (2399)", true, IT_ARRAY, 0, 0, 0 },
};

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
		decode_claims(&r, out->platform.payload, "platform claims", platform_rules,
			      ARRAY_LEN(platform_rules), platform_claim, &out->pclaims,
			      out->pclaims.order, &out->pclaims.n_claims);
	if (!r.failed)
		decode_sign1(&r, realm, "realm token", &out->realm);
	if (!r.failed)
		decode_claims(&r, out->realm.payload, "realm claims", realm_rules,
			      ARRAY_LEN(realm_rules), realm_claim, &out->rclaims,
			      out->rclaims.order, &out->rclaims.n_claims);
	return r.failed ? -1 : 0;
}
