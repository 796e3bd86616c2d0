#!/usr/bin/env bash
# The threaded workload for the record (issue 10): test/c/threads.c with
# -pthread in Node, 1, 2 and 4 threads, Alligator (one lock for the heap)
# against Emscripten's dlmalloc.  Wall-clock seconds of one run each, so
# noisy on a shared machine: read the ratios, not the times.
#   bash bench/threads/run.sh [rounds]      (from the repository root)
set -e
rounds=${1:-100000}
out=build/bench/threads
mkdir -p $out
flags="-O2 -pthread -sPTHREAD_POOL_SIZE=4 -sEXIT_RUNTIME=1 -sENVIRONMENT=node,worker -sINITIAL_MEMORY=64MB -Isrc"
[ -f $out/alligator.js ] || python3 test/port/use_port.py --cache build/port-cache emcc -sMALLOC=none --use-port=emscripten.py $flags test/c/threads.c -o $out/alligator.js
[ -f $out/dlmalloc.js ] || emcc -sMALLOC=dlmalloc $flags test/c/threads.c bench/threads/stub.c -o $out/dlmalloc.js
for t in 1 2 4; do
  for a in alligator dlmalloc; do
    s=$(date +%s.%N)
    node --no-experimental-fetch $out/$a.js $t $rounds > /dev/null
    e=$(date +%s.%N)
    printf '%d threads  %-9s %6.2f s\n' $t $a $(echo "$e - $s" | bc)
  done
done
