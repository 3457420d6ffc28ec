# SPDX-License-Identifier: BSD-3-Clause
# Sourced by the shell tests of this directory (cli.sh, guests.sh, rim.sh)
# after they set W, the work directory: creates W, counts checks (n) and
# failures (fails), and prints the closing summary.
mkdir -p "$W"
fails=0
n=0

# fail MESSAGE...: reports one failed check.
fail() {
	echo "FAIL: $*"
	fails=$((fails + 1))
}

# finish NAME: prints the counts; succeeds only if no check failed (call it last).
finish() {
	echo "$1: $n checks, $fails failures"
	[ "$fails" -eq 0 ]
}
