#!/usr/bin/env bash
# ctest "attest_corrupt": a token with one corrupted byte (or spliced, or
# re-signed with a wrong claim) makes `realmkit token verify` exit 1 and name
# the check that failed; the untouched token passes.
# Usage: corrupt.sh REALMKIT WORKDIR
set -uo pipefail
rk=$1
work=$2
here=$(cd "$(dirname "$0")" && pwd)
py=/usr/bin/python3
mkdir -p "$work"
ch=$(printf '5a%.0s' {1..64})
fails=0
tok=$work/good.cbor
"$rk" token make --challenge "$ch" -o "$tok" >/dev/null || exit 1

# expect_fail NAME FILE CHECK [verify args...]: verify must exit 1 naming CHECK.
expect_fail() {
	local name=$1 file=$2 check=$3 out rc
	shift 3
	out=$("$rk" token verify "$file" "$@" 2>&1 >/dev/null)
	rc=$?
	if [ "$rc" -eq 1 ] && grep -q "token: FAILED $check" <<<"$out"; then
		echo "corrupt: OK $name -> $(grep 'FAILED' <<<"$out" | head -1)"
	else
		echo "corrupt: WRONG $name: exit $rc, expected 1 naming '$check'; got: $out"
		fails=$((fails + 1))
	fi
}

# flip FILE OFFSET OUT: copies FILE to OUT with byte OFFSET xor 0x01 (negative: from the end).
flip() {
	"$py" -c 'import sys
d = bytearray(open(sys.argv[1], "rb").read()); i = int(sys.argv[2]); d[i] ^= 1
open(sys.argv[3], "wb").write(d)' "$1" "$2" "$3"
}

# offset_of FILE HEX: offset of the first occurrence of the bytes HEX.
offset_of() {
	"$py" -c 'import sys; print(open(sys.argv[1], "rb").read().find(bytes.fromhex(sys.argv[2])))' "$1" "$2"
}

"$rk" token verify "$tok" --challenge "$ch" >/dev/null || { echo "corrupt: good token fails"; exit 1; }
echo "corrupt: OK the untouched token verifies"

flip "$tok" -1 "$work/realm-sig.cbor"
expect_fail "last byte (realm signature s)" "$work/realm-sig.cbor" "realm signature"

flip "$tok" "$(offset_of "$tok" "$ch")" "$work/realm-challenge.cbor"
expect_fail "a byte of the realm challenge claim" "$work/realm-challenge.cbor" "realm signature"

flip "$tok" "$(( $(offset_of "$tok" 0a5820) + 3 ))" "$work/plat-challenge.cbor"
expect_fail "a byte of the platform challenge claim" "$work/plat-challenge.cbor" "platform signature"

flip "$tok" 0 "$work/tag.cbor"
expect_fail "the first byte (tag 399 head)" "$work/tag.cbor" "decode"

head -c 700 "$tok" >"$work/truncated.cbor"
expect_fail "truncated after 700 bytes" "$work/truncated.cbor" "decode"

{ cat "$tok"; printf '\x00'; } >"$work/trailing.cbor"
expect_fail "one trailing byte" "$work/trailing.cbor" "decode"

expect_fail "a different expected challenge" "$tok" "challenge" --challenge 00
expect_fail "a different expected RIM" "$tok" "rim" --rim "$(printf 'ff%.0s' {1..32})"

# A platform key that did not sign it.
"$py" -c 'import sys
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
k = ec.generate_private_key(ec.SECP384R1())
open(sys.argv[1], "wb").write(k.public_key().public_bytes(serialization.Encoding.PEM,
    serialization.PublicFormat.SubjectPublicKeyInfo))' "$work/other.pem"
expect_fail "another platform key" "$tok" "platform signature" --platform-key "$work/other.pem"

# Splice: the platform token of one boot with the realm token of another RAK.
"$py" -c 'import sys
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
k = ec.generate_private_key(ec.SECP384R1())
open(sys.argv[1], "wb").write(k.private_bytes(serialization.Encoding.PEM,
    serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))' "$work/rak2.pem"
"$rk" token make --challenge "$ch" --rak "$work/rak2.pem" -o "$work/other-rak.cbor" >/dev/null
"$py" "$here/token_tool.py" splice "$tok" "$work/other-rak.cbor" "$work/spliced.cbor"
expect_fail "platform token of another RAK" "$work/spliced.cbor" "binding"

# Re-signed with the (test) RAK but a wrong profile: signatures hold, profile does not.
"$py" "$here/token_tool.py" resign-profile "$tok" "tag:arm.com,2024:realm#2.0.0" "$work/profile.cbor"
expect_fail "realm profile 2.0" "$work/profile.cbor" "realm profile"

[ "$fails" -eq 0 ] && echo "corrupt: every corruption was caught by the right check"
exit "$fails"
