#!/usr/bin/env bash
# End-to-end import: N generated documents from files into an empty
# content-server on loopback (parse, RPC, durable group-committed write).
# Reports documents per second and the peak resident memory of client and
# server, for each N given (default: 10000 100000).
#
#   bench/import_benchmark.sh [N...]
set -euo pipefail
cd "$(dirname "$0")/.."
bin=build/bin
work=$(mktemp -d)
trap 'pkill -f "content-server --listen 127.0.0.1:0 --data_dir $work" 2>/dev/null || true; rm -rf "$work"' EXIT
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(10000 100000)

printf '| documents | corpus MB | seconds | documents/s | client peak RSS MB | server peak RSS MB |\n'
printf '|---:|---:|---:|---:|---:|---:|\n'
for n in "${sizes[@]}"; do
  rm -rf "$work/corpus" "$work/data"
  "$bin/contentctl" generate --count "$n" --seed 42 --out "$work/corpus" >/dev/null
  corpus_mb=$(du -sm "$work/corpus" | cut -f1)
  "$bin/content-server" --listen 127.0.0.1:0 --data_dir "$work/data" \
    --metrics_listen 127.0.0.1:0 2>"$work/server.log" &
  server=$!
  for _ in $(seq 100); do grep -q event=listening "$work/server.log" && break; sleep 0.1; done
  address=$(grep -o ' address=[^ ]*' "$work/server.log" | head -1 | cut -d= -f2)
  start=$(date +%s.%N)
  /usr/bin/time -f '%M' -o "$work/client.rss" \
    "$bin/contentctl" --server "$address" import "$work/corpus" >"$work/import.out"
  end=$(date +%s.%N)
  server_kb=$(awk '/VmHWM/ {print $2}' /proc/$server/status)
  kill -TERM $server; wait $server || true
  client_kb=$(cat "$work/client.rss")
  awk -v n="$n" -v mb="$corpus_mb" -v s="$start" -v e="$end" -v c="$client_kb" -v v="$server_kb" \
    'BEGIN { t = e - s; printf "| %d | %d | %.1f | %.0f | %.0f | %.0f |\n", n, mb, t, n / t, c / 1024, v / 1024 }'
done
