#!/usr/bin/env bash
# The debugger batch mode on the -O0 hello world: it must stop in Alligator's
# malloc (src/malloc.c, with its argument visible) called from hello.c's main.
#   test-debug-host.sh lldb|gdb build/hello/hello-debug
set -uo pipefail
dbg=$1 prog=$2
out=$(timeout 120 bash "$(dirname "$0")/debug-host.sh" "$dbg" batch "$prog" 2>&1)
fail=0
expect() { grep -Eq "$1" <<<"$out" || { echo "debug-host: expected /$1/ in the $dbg output"; fail=1; }; }
expect 'malloc.* at .*malloc\.c:[0-9]+'
expect 'main.* at .*hello\.c:[0-9]+'
expect '(\(size_t\) )?n = [0-9]+'
if [ $fail = 0 ]; then echo "debug-host ($dbg batch): stopped in malloc (src/malloc.c) under main (hello.c): ok"
else echo "$out" | tail -40; exit 1; fi
