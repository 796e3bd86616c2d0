#!/usr/bin/env bash
# Run the native tests; each prints one line and exits 0 on success.
# Prints "native: N passed, M failed" at the end.
pass=0; fail=0
run() {
  echo "+ $*"
  if "$@"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAILED: $*"; fi
}
for t in "$@"; do
  case "$t" in
    */units)        run "$t" ;;
    */model)        run "$t" 200000 1 1; run "$t" 200000 2 1; run "$t" 30000 3 1 1 ;;
    */model-debug)  run "$t" 50000 4 1; run "$t" 20000 5 1 1 ;;
    */model-heap-param) run "$t" 50000 8 1 ;;
    */model-os)     run "$t" 100000 9 1; run "$t" 20000 10 1 1 ;;
    */threads)      run "$t" 4 200000 ;;
    */model32)      run "$t" 100000 6 1; run "$t" 20000 7 1 1 ;;
    *)              run "$t" ;;
  esac
done
echo "native: $pass passed, $fail failed"
[ "$fail" = 0 ]
