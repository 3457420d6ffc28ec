#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# measure == run (issue 7 "realmkit measure"; rmm-v1.0.md s14; the host's
# activation order of kvm-cca-host.md s3.7 that measure.h H3 models): for
# the rim guest (guests/tests/rim.c) as a raw binary, an ELF and an arm64
# Image, with and without an initrd, on 1, 2 and 4 vCPUs, 32M/64M/256M of
# RAM and both hash algorithms, the RIM `realmkit measure` prints equals
# the RIM the running guest reads with RSI_MEASUREMENT_READ and prints as
# "RIM <hex>", and the RPV the guest reads is the --realm-pv given.
# Usage: rim.sh REALMKIT GUEST_DIR RIM_IMAGE WORKDIR
set -u
RK=$1
G=$2
IMAGE=$3
W=$4
. "$(dirname "$0")/common.sh"

# A deterministic 100 KB initrd (content is measured like any other blob).
/usr/bin/python3 -c "import sys; sys.stdout.buffer.write(bytes((i * 7) & 0xff for i in range(100 * 1024)))" >"$W/initrd"

RPV=00112233445566778899aabbccddeeff
# check NAME FLAGS...: one measure, one run, compared.
check() {
	local name=$1
	shift
	n=$((n + 1))
	local m r rc
	m=$("$RK" measure "$@" 2>"$W/m.err" | sed -n 's/^RIM: //p')
	[ -n "$m" ] || { fail "$name: measure printed no RIM ($(head -c 200 "$W/m.err"))"; return; }
	"$RK" run "$@" --timeout 10 >"$W/out" 2>"$W/err"
	rc=$?
	[ $rc -eq 0 ] || { fail "$name: run exit $rc ($(tail -n 3 "$W/err" | tr '\n' ' '))"; return; }
	r=$(sed -n 's/^RIM //p' "$W/out")
	[ "$r" = "$m" ] || fail "$name: guest RIM '$r' != measure RIM '$m'"
	# The VMM's own summary line carries the same prediction.
	grep -q "^RIM        .* $m\$" "$W/err" || fail "$name: run's RIM line differs from measure"
	grep -q "^RPV ${RPV}0*\$" "$W/out" || fail "$name: guest RPV differs from --realm-pv"
}

i=0
cpus=(1 2 4)
mems=(32M 64M 256M)
for img in "raw:$G/rim.bin" "elf:$G/rim.elf" "image:$IMAGE"; do
	for rd in none initrd; do
		for algo in sha256 sha512; do
			c=${cpus[$((i % 3))]}
			m=${mems[$(((i / 3 + i) % 3))]}
			i=$((i + 1))
			extra=()
			[ $rd = initrd ] && extra=(-i "$W/initrd")
			check "${img%%:*} $rd $algo -c $c -m $m" -k "${img#*:}" -c "$c" -m "$m" \
				--measurement-algo "$algo" --realm-pv "$RPV" "${extra[@]}"
		done
	done
done
# Every CPU count with every memory size once (ELF, SHA-256).
for c in 1 2 4; do
	for m in 32M 64M 256M; do
		check "elf -c $c -m $m" -k "$G/rim.elf" -c "$c" -m "$m" --realm-pv "$RPV"
	done
done
# Each image is loaded as what it claims to be (the loader says so under --debug).
for f in "raw binary:$G/rim.bin" "ELF:$G/rim.elf" "arm64 Image:$IMAGE"; do
	n=$((n + 1))
	"$RK" measure -k "${f#*:}" --debug >/dev/null 2>"$W/dbg"
	grep -q "kernel: ${f%%:*} of" "$W/dbg" || fail "${f#*:} not loaded as ${f%%:*}: $(cat "$W/dbg")"
done

finish rim
