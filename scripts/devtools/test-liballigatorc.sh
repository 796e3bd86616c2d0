#!/usr/bin/env bash
# liballigatorc: the C API test binaries given as arguments, then real
# programs on Alligator through LD_PRELOAD=build/liballigatorc.so, each checked
# against the same program on glibc's malloc:
#   - python3: a JSON round trip of 300 000 objects (and, through ctypes, a
#     look at Alligator's statistics: it must really be the allocator);
#   - sort (coreutils, multi-threaded): 400 000 generated numbers;
#   - thread-stress: 4 threads x 100 000 rounds with cross-thread frees, and
#     forks while the threads allocate;
#   - fork-stdio, fork-signal: fork beside threads using stdio, and from a
#     signal handler inside malloc: no deadlock.
set -uo pipefail
cd "$(dirname "$0")/../.."
pass=0 fail=0
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
ok()  { echo "ok: $*"; pass=$((pass + 1)); }
bad() { echo "FAILED: $*"; fail=$((fail + 1)); }
PRELOAD="LD_PRELOAD=$PWD/build/liballigatorc.so"

for t in "$@"; do
  [[ "$t" == */* ]] || t="./$t"
  if out=$("$t" 2>&1); then ok "$t: $(tail -1 <<<"$out")"; else echo "$out"; bad "$t"; fi
done

# python3: JSON round trip; prints a digest and Alligator's heap size.
py=$(command -v python3)
cat > "$tmp/rt.py" <<'PY'
import ctypes, hashlib, json, sys
data = [{"id": i, "name": "item-%d" % i, "tags": [i % 7, i % 11, "t%d" % (i % 13)], "v": i * 0.5,
         "nested": {"ok": i % 2 == 0}} for i in range(300000)]
text = json.dumps(data, sort_keys=True)
back = json.loads(text)
assert back == data, "round trip changed the data"
print(len(text), hashlib.sha256(text.encode()).hexdigest())
libc = ctypes.CDLL(None)
try:
    stats = libc.alligator_stats
except AttributeError:
    print("allocator: not alligator")
    sys.exit(0)
buf = (ctypes.c_size_t * 256)()
stats(buf)
# alligator_stats_t: heap_bytes, in_use_bytes, peak_in_use_bytes, ... (size_t fields)
print("allocator: alligator, peak in use %d MB" % (buf[2] >> 20), file=sys.stderr)
print("allocator: alligator" if buf[2] > 50 << 20 else "allocator: alligator, but too little used")
PY
want=$("$py" "$tmp/rt.py" | sed -n 1p)
got=$(env "$PRELOAD" "$py" "$tmp/rt.py" 2>"$tmp/py.err"); rc=$?
if [ $rc = 0 ] && [ "$(head -1 <<<"$got")" = "$want" ] && grep -qx 'allocator: alligator' <<<"$got"; then
  ok "python3 JSON round trip of 300000 objects under LD_PRELOAD ($(cat "$tmp/py.err"))"
else
  echo "want: $want"; echo "got: $got"; cat "$tmp/py.err"; bad "python3 under LD_PRELOAD (rc $rc)"
fi

# sort: 400 000 numbers, several threads, small buffer (temporary files, merges).
awk 'BEGIN { x = 12345; for (i = 0; i < 400000; i++) { x = (x * 1103515245 + 12345) % 2147483648; print x % 1000003 } }' > "$tmp/in"
LC_ALL=C sort -n "$tmp/in" > "$tmp/want"
if env "$PRELOAD" LC_ALL=C sort -n --parallel=4 -S 2M -T "$tmp" "$tmp/in" > "$tmp/got" &&
   cmp -s "$tmp/want" "$tmp/got" && [ "$(wc -l < "$tmp/got")" = 400000 ] &&
   env "$PRELOAD" LC_ALL=C sort -n -c "$tmp/got"; then
  ok "sort -n --parallel=4 of 400000 numbers under LD_PRELOAD: same output as glibc's malloc"
else
  bad "sort under LD_PRELOAD"
fi

# threads (and fork while they run)
if out=$(timeout 300 env "$PRELOAD" build/c/thread-stress 4 100000 "${FORKS:-20}" 2>&1); then ok "$out"
else echo "$out"; bad "thread-stress under LD_PRELOAD"; fi

# fork: beside threads using stdio (glibc bug 19431), and from a signal handler
# that interrupts malloc (glibc's tst-malloc-fork-deadlock, tst-mallocfork2).
# Each ends itself if it hangs; timeout is the second guard.
for t in fork-stdio fork-signal; do
  if out=$(timeout 150 env "$PRELOAD" "build/c/$t" 2>&1) && grep -q ': ok$' <<<"$out"; then ok "$out (under LD_PRELOAD)"
  else echo "$out"; bad "$t under LD_PRELOAD: deadlock or failure (glibc's malloc: $(timeout 150 "build/c/$t" 2>&1 | tail -1))"; fi
done

echo "liballigatorc: $pass passed, $fail failed"
[ $fail = 0 ]
