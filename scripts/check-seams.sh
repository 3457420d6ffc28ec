#!/usr/bin/env bash
# The seams of ARCHITECTURE.md: which actor may include what.
#   host and vmm: never RMM headers, never the platform's root interface;
#   rmm: never host or vmm headers; platform: nothing of the others.
set -euo pipefail
cd "$(dirname "$0")/.."
fail=0
check() { # dir forbidden-regex what
	local hits
	hits=$(grep -rnE "#include *[<\"]($2)" "$1" 2>/dev/null || true)
	if [ -n "$hits" ]; then
		echo "seams: $1 includes $3:" >&2
		echo "$hits" >&2
		fail=1
	fi
}
rmm_headers=$(cd src/rmm && find . -name '*.h' -printf '%f\n' | paste -sd'|')
host_headers=$(cd src/host && find . -name '*.h' -printf '%f\n' | paste -sd'|')
vmm_headers=$(cd src/vmm && find . -name '*.h' -printf '%f\n' | paste -sd'|')
check src/host "platform_root\.h|${rmm_headers}" "the RMM or the platform's root side"
check src/vmm "platform_root\.h|${rmm_headers}" "the RMM or the platform's root side"
check src/rmm "${host_headers}|${vmm_headers}|realmkit/kvm\.h" "host or VMM headers"
check src/platform "${rmm_headers}|${host_headers}|${vmm_headers}" "another actor's headers"
[ "$fail" -eq 0 ] && echo "seams: host, vmm, rmm and platform include only what they may"
exit "$fail"
