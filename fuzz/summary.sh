#!/usr/bin/env bash
# Summarise an AFL++ output folder: executions, coverage, crashes, hangs.
#   fuzz/summary.sh [fuzz/afl_out]
out=${1:-fuzz/afl_out}
status=0
for stats in "$out"/*/fuzzer_stats; do
  [ -f "$stats" ] || { echo "no fuzzer_stats under $out"; exit 1; }
  dir=$(dirname "$stats")
  get() { sed -n "s/^$1 *: *//p" "$stats"; }
  start=$(get start_time); last=$(get last_update)
  crashes=$(ls "$dir/crashes" 2>/dev/null | grep -vc README)
  hangs=$(ls "$dir/hangs" 2>/dev/null | grep -vc README)
  echo "$dir: $(get execs_done) executions in $((last - start)) s ($(get execs_per_sec)/s)," \
       "corpus $(get corpus_count), bitmap coverage $(get bitmap_cvg), edges $(get edges_found)," \
       "stability $(get stability), crashes $crashes, hangs $hangs"
  [ "$crashes" = 0 ] || status=1
done
exit $status
