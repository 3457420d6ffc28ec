#!/usr/bin/env bash
# ctest "attest_python_verify": tokens made by `realmkit token make` (the RMM's
# token code) verified by tests/attest/verify_token.py, which uses only
# /usr/bin/python3 with python3-cryptography and python3-cbor2.
# Usage: python_verify.sh REALMKIT WORKDIR
set -euo pipefail
rk=$1
work=$2
here=$(cd "$(dirname "$0")" && pwd)
py=/usr/bin/python3
mkdir -p "$work"
ch=$(printf '5a%.0s' {1..64})
rim=$(printf '11%.0s' {1..32})
rpv=$(printf 'c3%.0s' {1..40})
rems=(aa01 bb02 cc03 dd04)

# 1. Built-in test keys, SHA-256, all inputs given.
"$rk" token make --challenge "$ch" --rim "$rim" --rpv "$rpv" --rem "${rems[0]}" \
	--rem "${rems[1]}" --rem "${rems[2]}" --rem "${rems[3]}" -o "$work/sha256.cbor"
"$py" "$here/verify_token.py" "$work/sha256.cbor" --challenge "$ch" --rim "$rim" --rpv "$rpv" \
	--rem "${rems[0]}" --rem "${rems[1]}" --rem "${rems[2]}" --rem "${rems[3]}"

# 2. SHA-512 measurements.
rim512=$(printf '7e%.0s' {1..64})
"$rk" token make --challenge "$ch" --rim "$rim512" --algo sha512 -o "$work/sha512.cbor"
"$py" "$here/verify_token.py" "$work/sha512.cbor" --challenge "$ch" --rim "$rim512" --algo sha512

# 3. Deterministic: the same inputs give the same bytes.
"$rk" token make --challenge "$ch" --rim "$rim512" --algo sha512 -o "$work/sha512-again.cbor"
cmp "$work/sha512.cbor" "$work/sha512-again.cbor"
echo "python_verify: OK two runs with the same inputs give identical tokens"

# 4. User-supplied PEM keys (generated here by python3-cryptography).
"$py" - "$work/cpak.pem" "$work/rak.pem" <<'PYEOF'
import sys
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
for path in sys.argv[1:]:
    k = ec.generate_private_key(ec.SECP384R1())
    open(path, "wb").write(k.private_bytes(serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
PYEOF
"$rk" token make --challenge "$ch" --cpak "$work/cpak.pem" --rak "$work/rak.pem" -o "$work/pem.cbor"
"$py" "$here/verify_token.py" "$work/pem.cbor" --challenge "$ch" --cpak-pem "$work/cpak.pem" \
	--rak-pem "$work/rak.pem"
"$rk" token verify "$work/pem.cbor" --platform-key "$work/cpak.pem" --challenge "$ch"
echo "python_verify: all tokens verified independently"
