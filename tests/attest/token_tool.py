#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""Test helper that forges realmkit tokens for negative tests (no realmkit code).

  splice A B OUT            platform token of A with the realm token of B
  resign-profile A P OUT    realm token of A with profile P, re-signed with
                            realmkit's test RAK (so only the profile is wrong)
"""
import hashlib
import sys

import cbor2
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, utils

P384_N = int("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFC7634D81F4372DDF581A0DB248B0A77AECEC196ACCC52973", 16)


def load(path):
    return cbor2.loads(open(path, "rb").read())


def main():
    cmd = sys.argv[1]
    if cmd == "splice":
        a, b, out = load(sys.argv[2]), load(sys.argv[3]), sys.argv[4]
        tok = cbor2.CBORTag(399, {44234: a.value[44234], 44241: b.value[44241]})
    elif cmd == "resign-profile":
        a, profile, out = load(sys.argv[2]), sys.argv[3], sys.argv[4]
        realm = cbor2.loads(a.value[44241])
        prot, unprot, payload, _ = realm.value
        claims = cbor2.loads(payload)
        claims[265] = profile
        payload = cbor2.dumps(claims)
        d = int.from_bytes(hashlib.sha384(b"realmkit test RAK (ECDSA P-384) v1").digest(), "big") % P384_N
        key = ec.derive_private_key(d, ec.SECP384R1())
        der = key.sign(cbor2.dumps(["Signature1", prot, b"", payload]), ec.ECDSA(hashes.SHA384()))
        r, s = utils.decode_dss_signature(der)
        sig = r.to_bytes(48, "big") + s.to_bytes(48, "big")
        realm = cbor2.CBORTag(18, [prot, unprot, payload, sig])
        tok = cbor2.CBORTag(399, {44234: a.value[44234], 44241: cbor2.dumps(realm)})
    else:
        sys.exit(__doc__)
    open(out, "wb").write(cbor2.dumps(tok))


if __name__ == "__main__":
    main()
