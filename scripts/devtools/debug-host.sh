#!/usr/bin/env bash
# Start lldb or gdb on a program with a breakpoint on malloc.
#   debug-host.sh lldb|gdb interactive|batch PROGRAM [ARGS...]
# interactive: the debugger stops at the first malloc and gives you its prompt
#              (try: bt, next, step, frame variable / info locals, continue).
# batch:       stops at the first malloc, prints the backtrace and the
#              allocator's source line, kills the program and exits.
set -euo pipefail
dbg=$1 mode=$2; shift 2
prog=$1
if ! command -v "$dbg" >/dev/null; then
  if command -v gdb >/dev/null; then dbg=gdb; else echo "debug-host: neither lldb nor gdb is installed" >&2; exit 1; fi
fi
case "$dbg:$mode" in
  *lldb:interactive) exec "$dbg" -o 'breakpoint set -n malloc' -o run -- "$@" ;;
  *lldb:batch)       exec "$dbg" --batch -o 'breakpoint set -n malloc' -o run -o 'thread backtrace' \
                       -o 'frame variable' -o kill -- "$@" ;;
  *gdb:interactive)  exec "$dbg" -q -ex 'break malloc.c:malloc' -ex run --args "$@" ;;
  *gdb:batch)        exec "$dbg" -q -batch -ex 'break malloc.c:malloc' -ex run -ex bt -ex 'info args' -ex kill --args "$@" ;;
  *) echo "debug-host: unknown debugger/mode $dbg $mode" >&2; exit 2 ;;
esac
