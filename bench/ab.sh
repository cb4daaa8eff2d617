#!/usr/bin/env bash
# A/B of two content-server binaries on copies of one store: each scenario
# runs against A, then B, then A, then B... so that the machine's drift hits
# both alike. Prints one content-load row per run, labelled A or B.
#
#   bench/ab.sh OLD_SERVER NEW_SERVER [ROUNDS] [SECONDS] [CORPUS] [SCENARIOS]
#               [CONTENT_LOAD_FLAGS]
#
# Defaults: 3 rounds, 10 s, 100000 articles, "health get list put", no
# flags (e.g. "--articles seed --keys zipfian").
# Needs `make build` (content-load comes from build/bin).
set -euo pipefail
cd "$(dirname "$0")/.."
a=$1 b=$2
rounds=${3:-3} seconds=${4:-10} corpus=${5:-100000}
scenarios=${6:-health get list put}
read -r -a flags <<<"${7:-}"
load=build/bin/content-load
work=$(mktemp -d)
server=
cleanup() {
  [ -n "$server" ] && kill "$server" 2>/dev/null
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

mkdir -p "$work/base"
"$load" --scenario store_load --data_dir "$work/base/db" --corpus "$corpus" \
  "${flags[@]}" >&2
"$load" --scenario header
for scenario in $scenarios; do
  for round in $(seq "$rounds"); do
    for side in A B; do
      binary=$a
      [ "$side" = B ] && binary=$b
      rm -rf "$work/run" && cp -r "$work/base" "$work/run"
      log="$work/server.log"
      "$binary" --listen 127.0.0.1:0 --data_dir "$work/run" \
        --metrics_listen "" 2>"$log" &
      server=$!
      for _ in $(seq 300); do grep -q event=listening "$log" && break; sleep 0.1; done
      address=$(grep -o ' address=[^ ]*' "$log" | head -1 | cut -d= -f2)
      row=$("$load" --scenario "$scenario" --seconds "$seconds" \
        --server_pid "$server" --target "$address" --corpus "$corpus" \
        --concurrency 32 "${flags[@]}")
      echo "$side $row"
      kill -TERM "$server"; wait "$server" || true; server=
    done
  done
done
