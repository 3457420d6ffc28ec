#!/bin/sh
# Runs a command and checks its exit status and output (negative tests of
# `realmkit rmi`). Usage: expect_exit.sh STATUS REGEX COMMAND [ARGS...]
# Passes when the command exits with STATUS and its combined output matches
# the extended regular expression REGEX.
want=$1
pattern=$2
shift 2
out=$("$@" 2>&1)
got=$?
printf '%s\n' "$out"
if [ "$got" -ne "$want" ]; then
	echo "expect_exit: exit status $got, expected $want" >&2
	exit 1
fi
if ! printf '%s\n' "$out" | grep -Eq -- "$pattern"; then
	echo "expect_exit: output does not match /$pattern/" >&2
	exit 1
fi
echo "expect_exit: status $got and /$pattern/ as expected"
