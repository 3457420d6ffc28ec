#!/usr/bin/env bash
# make check: dependencies, the build, every test layer in the normal build,
# the unit tests again under ASan+UBSan, the threaded tests under TSan, the
# static checks; one summary line per layer, then "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc)
total_pass=0
total_fail=0
summary=()
logdir=build/check-logs

scripts/install-deps.sh --quiet || exit 1

configure() { # dir extra-args...
	local dir=$1
	shift
	if [ ! -f "$dir/build.ninja" ]; then
		cmake -S . -B "$dir" -G Ninja "$@" >"$logdir/configure-${dir//\//_}.log" 2>&1 ||
			{ cat "$logdir/configure-${dir//\//_}.log"; return 1; }
	fi
	cmake --build "$dir" -j "$jobs" >"$logdir/build-${dir//\//_}.log" 2>&1 ||
		{ cat "$logdir/build-${dir//\//_}.log"; return 1; }
}

# ctest_layer NAME DIR ARGS...: runs ctest, records "NAME: p passed, f failed".
ctest_layer() {
	local name=$1 dir=$2
	shift 2
	local log="$logdir/ctest-$name.log" p f t
	(cd "$dir" && ctest --output-on-failure -j "$jobs" "$@") >"$log" 2>&1
	t=$(grep -oE 'out of [0-9]+' "$log" | tail -1 | grep -oE '[0-9]+' || echo 0)
	f=$(grep -oE '[0-9]+ tests failed' "$log" | tail -1 | grep -oE '^[0-9]+' || echo 0)
	if grep -q 'No tests were found' "$log"; then
		t=0
		f=0
	fi
	p=$((t - f))
	if [ "$f" -ne 0 ]; then
		grep -E '(Failed|\*\*\*|FAILED|Error|error:|ERROR|Assertion|Sanitizer|runtime error)' "$log" | head -60
		echo "(full log: $log)"
	fi
	summary+=("$(printf '%-16s %4d passed, %d failed' "$name:" "$p" "$f")")
	total_pass=$((total_pass + p))
	total_fail=$((total_fail + f))
}

static_layer() { # NAME command...
	local name=$1
	shift
	if "$@" >"$logdir/$name.log" 2>&1; then
		summary+=("$(printf '%-16s %4d passed, %d failed  (%s)' "$name:" 1 0 "$(tail -1 "$logdir/$name.log")")")
		total_pass=$((total_pass + 1))
	else
		cat "$logdir/$name.log"
		summary+=("$(printf '%-16s %4d passed, %d failed' "$name:" 0 1)")
		total_fail=$((total_fail + 1))
	fi
}

mkdir -p "$logdir"
start=$(date +%s)
echo "check: building (RelWithDebInfo)"
configure build -DCMAKE_BUILD_TYPE=RelWithDebInfo || { echo "0 passed, 1 failed"; exit 1; }
for layer in unit host scenario guest fuzz-regression stress; do
	if (cd build && ctest -N -L "^$layer\$" | grep -q 'Total Tests: [1-9]'); then
		ctest_layer "$layer" build -L "^$layer\$"
	fi
done
echo "check: building with ASan+UBSan"
if configure build-asan -DCMAKE_BUILD_TYPE=Debug -DRK_SANITIZE=address; then
	ctest_layer "asan+ubsan" build-asan -L "^(unit|host|scenario|guest|stress)$"
else
	summary+=("asan+ubsan:        0 passed, 1 failed (build)")
	total_fail=$((total_fail + 1))
fi
echo "check: building with TSan"
if CC=clang configure build-tsan -DCMAKE_BUILD_TYPE=Debug -DRK_SANITIZE=thread; then
	ctest_layer "tsan" build-tsan -L '^threads$'
else
	summary+=("tsan:              0 passed, 1 failed (build)")
	total_fail=$((total_fail + 1))
fi
# The libFuzzer targets (tests/fuzz) in a clang RK_SANITIZE=fuzzer build:
# only the fuzz targets are built, and only the fuzz-regression label runs
# (each fuzzer for a few seconds with -seed=1 over its committed corpus).
if command -v clang >/dev/null 2>&1; then
	echo "check: building the fuzzers (clang, libFuzzer)"
	if [ ! -f build-fuzz/build.ninja ]; then
		CC=clang cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=Debug \
			-DRK_SANITIZE=fuzzer >"$logdir/configure-build-fuzz.log" 2>&1 ||
			cat "$logdir/configure-build-fuzz.log"
	fi
	if cmake --build build-fuzz -j "$jobs" --target fuzz_rmi fuzz_realm fuzz_token_decode fuzz_loader fuzz_scenario \
		>"$logdir/build-build-fuzz.log" 2>&1; then
		ctest_layer "fuzz-clang" build-fuzz -L '^fuzz-regression$'
	else
		cat "$logdir/build-build-fuzz.log"
		summary+=("fuzz-clang:        0 passed, 1 failed (build)")
		total_fail=$((total_fail + 1))
	fi
fi
static_layer format scripts/check-format.sh
static_layer headers scripts/check-headers.sh
static_layer seams scripts/check-seams.sh

echo
echo "check: summary ($(($(date +%s) - start)) s)"
for line in "${summary[@]}"; do
	echo "  $line"
done
echo "$total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ]
