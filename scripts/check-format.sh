#!/usr/bin/env bash
# clang-format check (or --fix) of every C source and header we own.
set -euo pipefail
cd "$(dirname "$0")/.."
mapfile -t files < <(git ls-files -co --exclude-standard -- '*.c' '*.h' | grep -v '^build' | while read -r f; do [ -f "$f" ] && echo "$f"; done)
if [ "${1:-}" = "--fix" ]; then
	clang-format -i "${files[@]}"
	echo "format: ${#files[@]} files formatted"
	exit 0
fi
bad=0
for f in "${files[@]}"; do
	if ! clang-format --dry-run --Werror "$f" >/dev/null 2>&1; then
		echo "format: $f needs 'make format'" >&2
		bad=$((bad + 1))
	fi
done
[ "$bad" -eq 0 ] || { echo "format: $bad of ${#files[@]} files not formatted" >&2; exit 1; }
echo "format: ${#files[@]} files clean"
