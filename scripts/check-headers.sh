#!/usr/bin/env bash
# Every public header compiles on its own (C11, the project's warnings).
set -euo pipefail
cd "$(dirname "$0")/.."
cc=${CC:-cc}
flags=(-std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes
	-Wmissing-prototypes -Wformat=2 -Wundef -fsyntax-only -Iinclude)
n=0
while read -r h; do
	echo "#include <${h#include/}>" | "$cc" "${flags[@]}" -x c - || { echo "headers: $h does not compile alone" >&2; exit 1; }
	n=$((n + 1))
done < <(find include -name '*.h' | sort)
echo "headers: $n public headers compile on their own"
