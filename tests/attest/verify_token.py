#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""Independent verifier of realmkit's CCA attestation tokens.

Uses only Python's standard library, python3-cryptography and python3-cbor2
(Debian packages), none of realmkit's code, so that it checks realmkit's
tokens the way any third-party verifier would (rmm-v1.0.md s15):

  - the CCA token: CBOR tag 399 {44234: bstr, 44241: bstr}, nothing after it;
  - both COSE_Sign1: tag 18, protected header exactly {1: -35} (ES384), empty
    unprotected map, 96-byte r||s signature over the RFC 9052 Sig_structure;
  - platform signature with the CPAK (a PEM, or realmkit's test CPAK derived
    independently here: SHA-384(label) mod n);
  - realm signature with the RAK of claim 44237 (a COSE_Key EC2 P-384);
  - binding: platform challenge == SHA-256(bytes of claim 44237);
  - realm claims: exactly the eight v1.0 claims in the reference order, the
    profile, hash algorithm ids, sizes and the expected values given;
  - platform claims: profile, lifecycle, instance id = 0x01 || SHA-256(CPAK
    point), software components with the required keys.

Prints one "verify_token: OK ..." line per check; on the first failure prints
"verify_token: FAILED <check>: <why>" and exits 1.
"""
import argparse
import hashlib
import io
import sys

import cbor2
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, utils

P384_N = int("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFC7634D81F4372DDF581A0DB248B0A77AECEC196ACCC52973", 16)
TEST_CPAK_LABEL = b"realmkit test CPAK (ECDSA P-384) v1"
TEST_RAK_LABEL = b"realmkit test RAK (ECDSA P-384) v1"
REALM_PROFILE = "tag:arm.com,2023:realm#1.0.0"
PLATFORM_PROFILES = ("tag:arm.com,2023:cca_platform#1.0.0", "http://arm.com/CCA-SSD/1.0.0")
REALM_ORDER = [10, 44235, 44237, 44236, 44240, 265, 44238, 44239]


class Failed(Exception):
    def __init__(self, check, why):
        super().__init__(f"{check}: {why}")
        self.check = check


def ok(msg):
    print(f"verify_token: OK {msg}")


def test_key(label):
    """realmkit's deterministic test key: SHA-384(label) mod n."""
    d = int.from_bytes(hashlib.sha384(label).digest(), "big") % P384_N
    return ec.derive_private_key(d, ec.SECP384R1())


def loads_exact(data, what):
    """cbor2.loads that also refuses trailing bytes."""
    fp = io.BytesIO(data)
    try:
        obj = cbor2.CBORDecoder(fp).decode()
    except Exception as e:  # cbor2 raises several types
        raise Failed("decode", f"{what}: {e}")
    if fp.tell() != len(data):
        raise Failed("decode", f"{what}: {len(data) - fp.tell()} trailing bytes")
    return obj


def sign1(raw, what):
    """Returns (protected bytes, payload bytes, claims, signature)."""
    t = loads_exact(raw, what)
    if not isinstance(t, cbor2.CBORTag) or t.tag != 18:
        raise Failed("decode", f"{what}: not a COSE_Sign1 (tag 18)")
    v = t.value
    if not isinstance(v, list) or len(v) != 4:
        raise Failed("decode", f"{what}: COSE_Sign1 is not an array of 4")
    prot, unprot, payload, sig = v
    if prot != bytes.fromhex("a1013822"):
        raise Failed("cose header", f"{what}: protected header {prot.hex()} is not {{1: -35}}")
    if unprot != {}:
        raise Failed("cose header", f"{what}: unprotected header is not empty")
    if not isinstance(payload, bytes) or not isinstance(sig, bytes) or len(sig) != 96:
        raise Failed("decode", f"{what}: payload or 96-byte signature missing")
    return prot, payload, loads_exact(payload, what + " claims"), sig


def check_sig(pub, prot, payload, sig, check):
    tbs = cbor2.dumps(["Signature1", prot, b"", payload])
    der = utils.encode_dss_signature(int.from_bytes(sig[:48], "big"), int.from_bytes(sig[48:], "big"))
    try:
        pub.verify(der, tbs, ec.ECDSA(hashes.SHA384()))
    except InvalidSignature:
        raise Failed(check, "ECDSA P-384/SHA-384 signature does not verify")


def rak_from_cose_key(key_bytes):
    k = loads_exact(key_bytes, "RAK COSE_Key")
    if not isinstance(k, dict) or list(k.keys()) != [1, -1, -2, -3]:
        raise Failed("realm public key", f"COSE_Key keys {list(k) if isinstance(k, dict) else k}")
    if k[1] != 2 or k[-1] != 2 or len(k[-2]) != 48 or len(k[-3]) != 48:
        raise Failed("realm public key", "not an EC2 P-384 COSE_Key")
    nums = ec.EllipticCurvePublicNumbers(int.from_bytes(k[-2], "big"), int.from_bytes(k[-3], "big"),
                                         ec.SECP384R1())
    return nums.public_key()


def pad64(h):
    b = bytes.fromhex(h)
    return b + bytes(64 - len(b))


def check_platform_claims(p, cpak_pub):
    for key in (265, 10, 2396, 256, 2401, 2395, 2402, 2399):
        if key not in p:
            raise Failed("platform claims", f"claim {key} missing")
    if p[265] not in PLATFORM_PROFILES:
        raise Failed("platform profile", repr(p[265]))
    point = cpak_pub.public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    if p[256] != b"\x01" + hashlib.sha256(point).digest():
        raise Failed("platform claims", "instance id is not 0x01 || SHA-256(CPAK point)")
    if not (0x3000 <= p[2395] <= 0x30FF):
        raise Failed("platform claims", f"lifecycle {p[2395]:#x} is not 'secured'")
    if p[2402] != "sha-256" or not isinstance(p[2399], list) or not p[2399]:
        raise Failed("platform claims", "hash algorithm or software components")
    for sw in p[2399]:
        if not {2, 5} <= set(sw) or len(sw[2]) != 32:
            raise Failed("platform claims", f"software component {sw}")
    ok(f"platform claims ({p[265]}, lifecycle {p[2395]:#x}, {len(p[2399])} software components)")


def check_realm_claims(r, a):
    if list(r.keys()) != REALM_ORDER:
        raise Failed("realm claims", f"keys {list(r.keys())}, expected {REALM_ORDER} in this order")
    ok("realm claims: all eight, in the reference order")
    if r[265] != REALM_PROFILE:
        raise Failed("realm profile", repr(r[265]))
    ok(f"realm profile {REALM_PROFILE}")
    algo = "sha-512" if a.algo == "sha512" else "sha-256"
    mlen = 64 if a.algo == "sha512" else 32
    if r[44236] != algo or r[44240] != "sha-256":
        raise Failed("hash algorithms", f"{r[44236]!r}, {r[44240]!r}")
    if len(r[10]) != 64 or len(r[44235]) != 64:
        raise Failed("realm claims", "challenge and RPV must be 64 bytes")
    if len(r[44238]) != mlen or len(r[44239]) != 4 or any(len(x) != mlen for x in r[44239]):
        raise Failed("measurements", f"RIM/REMs are not 4+1 values of {mlen} bytes")
    ok(f"hash algorithms and sizes ({algo}, {mlen}-byte RIM and REMs)")
    if a.challenge is not None and r[10] != pad64(a.challenge):
        raise Failed("challenge", "claim 10 differs")
    if a.rpv is not None and r[44235] != pad64(a.rpv):
        raise Failed("rpv", "claim 44235 differs")
    if a.rim is not None and r[44238] != pad64(a.rim)[:mlen]:
        raise Failed("rim", "claim 44238 differs")
    for i, rem in enumerate(a.rem or []):
        if r[44239][i] != pad64(rem)[:mlen]:
            raise Failed("rem", f"REM {i} differs")
    ok("expected values (challenge, rpv, rim, rems as given)")


def verify(a):
    data = open(a.token, "rb").read()
    top = loads_exact(data, "CCA token")
    if not isinstance(top, cbor2.CBORTag) or top.tag != 399:
        raise Failed("decode", "not a CCA token (tag 399)")
    if not isinstance(top.value, dict) or list(top.value.keys()) != [44234, 44241]:
        raise Failed("decode", "collection is not {44234, 44241}")
    ok(f"CCA token: tag 399, {len(data)} bytes")
    pprot, ppay, pclaims, psig = sign1(top.value[44234], "platform token")
    rprot, rpay, rclaims, rsig = sign1(top.value[44241], "realm token")
    if a.cpak_pem:
        key = serialization.load_pem_private_key(open(a.cpak_pem, "rb").read(), None)
        cpak_pub = key.public_key()
    else:
        cpak_pub = test_key(TEST_CPAK_LABEL).public_key()
    check_sig(cpak_pub, pprot, ppay, psig, "platform signature")
    ok("platform signature (ES384, " + (a.cpak_pem or "test CPAK") + ")")
    rak = rak_from_cose_key(rclaims[44237])
    if a.rak_pem:
        want = serialization.load_pem_private_key(open(a.rak_pem, "rb").read(), None).public_key()
    else:
        want = test_key(TEST_RAK_LABEL).public_key()
    if rak.public_numbers() != want.public_numbers():
        raise Failed("realm public key", "claim 44237 is not the expected RAK")
    check_sig(rak, rprot, rpay, rsig, "realm signature")
    ok("realm signature (ES384, RAK from claim 44237)")
    if pclaims.get(10) != hashlib.sha256(rclaims[44237]).digest():
        raise Failed("binding", "platform challenge != SHA-256(claim 44237)")
    ok("binding: platform challenge == SHA-256(RAK COSE_Key)")
    check_platform_claims(pclaims, cpak_pub)
    check_realm_claims(rclaims, a)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("token")
    ap.add_argument("--cpak-pem", help="CPAK private key PEM (default: realmkit's test CPAK)")
    ap.add_argument("--rak-pem", help="RAK private key PEM (default: realmkit's test RAK)")
    ap.add_argument("--challenge")
    ap.add_argument("--rpv")
    ap.add_argument("--rim")
    ap.add_argument("--rem", action="append")
    ap.add_argument("--algo", choices=("sha256", "sha512"), default="sha256")
    a = ap.parse_args()
    try:
        verify(a)
    except Failed as e:
        print(f"verify_token: FAILED {e}", file=sys.stderr)
        return 1
    print("verify_token: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
