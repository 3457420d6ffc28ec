/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The platform as seen from the Root and Realm worlds: the root view of
 * DRAM, the GPT and the EL3 services (GTSI) that change it, and the
 * registration of the RMM behind the SMC conduit. Only the RMM (and the
 * board that assembles the machine) may include this header; the build
 * gives its directory to no other actor.
 */
#ifndef REALMKIT_PLATFORM_ROOT_H
#define REALMKIT_PLATFORM_ROOT_H

#include <stdbool.h>
#include <stdint.h>

#include <realmkit/abi/smccc.h>
#include <realmkit/platform.h>

/* Pointer into the root view of DRAM at pa (always accessible), or NULL if not DRAM. */
void *platform_root_ptr(pa_t pa);

/* Base of the root view: PA RK_DRAM_BASE maps here (for the CPU engine). */
void *platform_root_base(void);

/*
 * EL3 Granule Transition Service: NS -> REALM. Fails with -EINVAL if pa is
 * not a DRAM granule, -EPERM if its PAS is not NS. On success the granule's
 * NS view becomes inaccessible.
 */
int el3_gtsi_delegate(pa_t pa);

/* EL3 Granule Transition Service: REALM -> NS (same errors, PAS must be REALM). */
int el3_gtsi_undelegate(pa_t pa);

/* Handler the RMM registers for RMI function IDs (fid has the SVE hint cleared). */
typedef void (*rmi_handler_fn)(uint64_t fid, const uint64_t args[6], struct smc_result *res);

/* Registers (or, with NULL, removes) the RMM behind the conduit. */
void conduit_register_rmm(rmi_handler_fn fn);

/*
 * Fault injection for tests (issue: robustness): when set, the next `count`
 * GTSI requests fail with -EIO as if EL3 refused them.
 */
void el3_inject_gtsi_failures(unsigned int count);

/*
 * Fault injection for tests (the host's leak policy): the next `count` RMI
 * calls with function ID `fid` (SVE hint cleared) do not reach the RMM and
 * return X0 = status, X1..X4 = 0, as if the RMM refused them. A new call
 * replaces the previous rule; count 0 removes it.
 */
void conduit_inject_rmi_failure(uint64_t fid, unsigned int count, uint64_t status);

/*
 * Test hook, on the calling thread around every RMI call: fn(ctx, fid,
 * args, res, false) before the RMM (not for a call an injected failure
 * answered), which may fill res and return true to answer in the RMM's
 * place (a refusal chosen by its arguments); then fn(ctx, fid, args, res,
 * true) after every call (the return value is ignored), which may change the result, e.g. to
 * present an exit reason a later RMM could return. NULL removes the hook.
 */
typedef bool (*conduit_test_hook_fn)(void *ctx, uint64_t fid, const uint64_t args[6],
				     struct smc_result *res, bool done);
void conduit_set_test_hook(conduit_test_hook_fn fn, void *ctx);

/*
 * Host visibility of a DRAM granule (for the RMM's invariant checker,
 * rmm-v1.0.md s9.1: a granule outside PAS NS is not accessible to
 * Non-secure software). platform_ns_view_accessible() reports the
 * platform's bookkeeping: true if the granule's NS-view page was last made
 * readable and writable (every GTSI transition records what its mprotect()
 * applied), false if it was made inaccessible or pa is not DRAM.
 */
bool platform_ns_view_accessible(pa_t pa);

/*
 * A real probe of the NS view of the granule containing pa: reads one byte
 * through the NS view without a signal (the kernel does the access and
 * reports a fault as an error). Returns 1 if the host could read it, 0 if
 * the access faults, -EINVAL if pa is not DRAM, another -errno if no probe
 * is possible. A readable page is faulted in like any host read (so probe
 * NS granules sparingly on a large sparse DRAM); an inaccessible page is
 * never populated. Thread-safe.
 */
int platform_ns_view_probe(pa_t pa);

/*
 * Platform attestation root of trust (EL3 and the platform's security
 * processor; rmm-v1.0.md s15.3). The CCA Platform Attestation Key (CPAK,
 * ECDSA P-384) signs the platform token; the Realm Attestation Key (RAK,
 * ECDSA P-384) is created per platform boot and handed to the RMM. Both are
 * realmkit's deterministic test keys (RK_TEST_CPAK_LABEL/RK_TEST_RAK_LABEL
 * in rk_cose.h) unless PEM keys are selected.
 */

/* Largest platform token EL3 hands out (TF-RMM ATTEST_PLAT_TOKEN_SIZE). */
#define EL3_PLAT_TOKEN_MAX_SIZE 0x1000u

/*
 * Selects the keys of the next platform boot: a PEM EC P-384 private key
 * file for the CPAK and for the RAK, NULL for the built-in test key. Takes
 * effect at once (the platform "reboots" its root of trust: the RMM must
 * fetch the RAK and the platform token again). Returns 0, or -errno with a
 * message in err (err may be NULL); on failure the keys are unchanged.
 */
int platform_attest_set_keys(const char *cpak_pem_path, const char *rak_pem_path, char *err,
			     size_t errlen);

/* The CPAK public key (affine x, y, big-endian), for tests and tools. Returns 0 or -EIO. */
int platform_attest_cpak_public(uint8_t x[48], uint8_t y[48]);

/*
 * EL3 service: the RAK private scalar (48 bytes, big-endian), the same for
 * every call until the keys change. Returns 0, -EINVAL if size < 48, -EIO.
 */
int el3_attest_get_realm_key(uint8_t *buf, size_t size, size_t *len);

/*
 * EL3 service: the platform token (COSE_Sign1, ES384 with the CPAK) whose
 * challenge claim is `challenge` (32, 48 or 64 bytes; the RMM passes
 * SHA-256 of the RAK's COSE_Key). Writes it to buf and its length to *len.
 * Returns 0, -EINVAL for a bad challenge length, -ENOSPC if size is too
 * small, -EIO on an internal failure.
 */
int el3_attest_get_platform_token(const uint8_t *challenge, size_t challenge_len, uint8_t *buf,
				  size_t size, size_t *len);

/*
 * Invalidates cached stage-2 translations of a VMID on every CPU engine:
 * when it returns, no engine uses a translation of that VMID cached before
 * the call (the TLBI VMALLS12E1 the RMM issues, broadcast Inner Shareable,
 * after an RTT change that removes or changes a valid mapping; rmm-v1.0.md
 * s11, unicorn-2.0.1.md "Stage 2 and precise faults"). Calls every
 * registered invalidation callback, then engines_invalidate_vmid() (engine.h). May be called with RMM granule locks held.
 */
void platform_tlbi_vmid(uint16_t vmid);

/*
 * Registers an invalidation callback of a CPU engine: fn(ctx, vmid) must
 * make that engine drop every cached stage-2 translation of vmid before it
 * returns (or before the engine next translates). Callbacks run with the
 * registry's mutex held, possibly with RMM granule spinlocks held, from any
 * thread: they must not block on RMM locks nor (un)register callbacks.
 * Returns 0, -EINVAL for a NULL fn, -EEXIST if (fn, ctx) is already
 * registered, or -ENOMEM.
 */
int platform_register_tlbi(void (*fn)(void *ctx, uint16_t vmid), void *ctx);

/*
 * Removes a callback registered with the same (fn, ctx). Once it returns,
 * the callback is not running and will not be called again. Returns 0 or
 * -ENOENT.
 */
int platform_unregister_tlbi(void (*fn)(void *ctx, uint16_t vmid), void *ctx);

#endif /* REALMKIT_PLATFORM_ROOT_H */
