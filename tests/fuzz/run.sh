#!/usr/bin/env bash
# Runs every libFuzzer target of the asan build for SECONDS each (default 60)
# from its seed corpus; fails on any crash, sanitizer report or leak.
#   tests/fuzz/run.sh [SECONDS]      (after `make asan-build`)
set -uo pipefail
cd "$(dirname "$0")/../.."
seconds="${1:-60}"
bin=build-asan/bin
work=build-asan/fuzz-corpus
failed=0
for fuzzer in front_matter_fuzzer canonical_url_fuzzer page_token_fuzzer \
              backup_manifest_fuzzer filter_fuzzer; do
  mkdir -p "$work/$fuzzer"
  log="$work/$fuzzer.log"
  # New inputs go to the work corpus; the seeds in the repo stay as they are.
  "$bin/$fuzzer" -max_total_time="$seconds" -rss_limit_mb=2048 \
      -print_final_stats=1 -artifact_prefix="$work/$fuzzer-" \
      "$work/$fuzzer" "tests/fuzz/corpus/$fuzzer" >"$log" 2>&1
  status=$?
  executions=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
  echo "$fuzzer: ${seconds}s, ${executions:-?} executions, exit $status"
  if [ "$status" -ne 0 ]; then
    failed=1
    grep -E 'ERROR|SUMMARY|Test unit written|#[0-9]' "$log" | tail -20
  fi
done
exit "$failed"
