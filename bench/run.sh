#!/usr/bin/env bash
# The benchmark suite of docs/benchmarks.md, in one command: our server and
# its peers (the gRPC health Check, the store alone, etcd 3.4, PostgreSQL
# 15) on the same machine, the same corpus bytes, the same keys and the same
# concurrency, then the ratios the performance targets are stated in.
#
#   bench/run.sh [SECONDS_PER_SCENARIO] [LARGE_CORPUS] [SECTIONS]
#
# Defaults: 10 s, 1000000 articles, all sections "seed generated large":
#   seed       seed-sized articles (~2 KB), 100,000 of them: ours, the store
#              alone, etcd and PostgreSQL, uniform and Zipfian keys;
#   generated  generator-sized articles (~6 KB serialized, ~9 KB as
#              documents), 100,000: Get, Put, filtered List, and the import
#              end to end against PostgreSQL's COPY of the same documents;
#   large      LARGE_CORPUS generator-sized articles: Get (Zipfian and
#              uniform), filtered List under load, memory and disk.
# Keys are uniform or Zipfian (theta 0.99, YCSB's default); closed loops
# keep 32 calls in flight. Write rows charge each peer's background work
# (compactions, checkpoints) left after the timed part to its calls
# (content-load --settle). About 12 minutes on 2 cores with the defaults.
#
# Needs `make build`; installs etcd-server and postgresql-15 if missing.
# Every server listens on 127.0.0.1 with its own data in a temporary
# directory, removed at the end. Prints Markdown on stdout.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-10}"
large="${2:-1000000}"
sections=" ${3:-seed generated large} "
corpus=100000
concurrency=32
bin=build/bin
work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  if [ -f "$work/pg/data/postmaster.pid" ]; then
    bench/postgres.sh stop "$work/pg" 2>/dev/null || true
  fi
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

if ! command -v etcd >/dev/null; then
  sudo=$([ "$(id -u)" -eq 0 ] || echo sudo)
  $sudo apt-get install -y -q --no-install-recommends etcd-server >&2
fi
make build >&2

declare -A rate p99
# row NAME PID SCENARIO [content-load flags...]: one table row, labelled
# NAME, with the CPU time per call of process PID (and its children; none
# for "-"); keeps its calls/s and p99 under NAME for the ratios.
row() {
  local name=$1 pid=$2 scenario=$3; shift 3
  local line cpu=()
  [ "$pid" = - ] || cpu=(--server_pid "$pid")
  line=$("$bin/content-load" --scenario "$scenario" --seconds "$seconds" \
    "${cpu[@]}" --concurrency "$concurrency" "$@" |
    sed "s/^| $scenario |/| $name |/")
  echo "$line"
  rate[$name]=$(echo "$line" | awk -F'|' '{ print $6 + 0 }')
  p99[$name]=$(echo "$line" | awk -F'|' '{ print $9 + 0 }')
}
header() { "$bin/content-load" --scenario header; }
# ratio LABEL A B TARGET: A's calls/s over B's.
ratio() {
  awk -v l="$1" -v a="${rate[$2]:-0}" -v b="${rate[$3]:-0}" -v t="$4" \
    'BEGIN { printf "| %s | %.2fx | %s |\n", l, (b > 0 ? a / b : 0), t }'
}

# start_server DATA_DIR [FLAGS...]: sets $server (pid) and $address.
start_server() {
  local data=$1; shift
  local log="$work/server-$RANDOM.log"
  "$bin/content-server" --listen 127.0.0.1:0 --data_dir "$data" \
    --metrics_listen "" "$@" 2>"$log" &
  server=$!
  pids+=("$server")
  for _ in $(seq 300); do grep -q event=listening "$log" && break; sleep 0.1; done
  address=$(grep -o ' address=[^ ]*' "$log" | head -1 | cut -d= -f2)
}
stop_server() { kill -TERM "$server"; wait "$server" || true; }

start_etcd() {
  rm -rf "$work/etcd"
  etcd --data-dir "$work/etcd" --listen-client-urls http://127.0.0.1:23790 \
    --advertise-client-urls http://127.0.0.1:23790 \
    --listen-peer-urls http://127.0.0.1:23800 --quota-backend-bytes 8589934592 \
    >"$work/etcd.log" 2>&1 &
  etcd_pid=$!
  pids+=("$etcd_pid")
  for _ in $(seq 100); do grep -q "ready to serve client requests" "$work/etcd.log" && break; sleep 0.1; done
}
stop_etcd() { kill "$etcd_pid"; wait "$etcd_pid" 2>/dev/null || true; }

# serve_corpus NAME: writes the corpus of "${shape[@]}" straight into a new
# store under $work/NAME, then serves it (sets $server and $address).
serve_corpus() {
  mkdir -p "$work/$1"
  "$bin/content-load" --scenario store_load --data_dir "$work/$1/db" "${shape[@]}" >&2
  start_server "$work/$1"
}

pg_port=25432
pg="host=127.0.0.1 port=$pg_port user=bench dbname=postgres"
start_postgres() { pg_pid=$(bench/postgres.sh start "$work/pg" "$pg_port"); }

if [[ $sections == *" seed "* ]]; then
  shape=(--articles seed --corpus "$corpus")
  read -r json_mb mean_bytes < <("$bin/content-load" --scenario corpus_size "${shape[@]}")
  echo "## Seed-sized articles: ${corpus}, ${mean_bytes} bytes serialized on average, ${seconds} s per scenario, ${concurrency} in flight"
  echo
  header
  serve_corpus seed
  row health "$server" health --target "$address" "${shape[@]}"
  row get "$server" get --target "$address" "${shape[@]}"
  row "get zipfian" "$server" get --target "$address" "${shape[@]}" --keys zipfian
  row put "$server" put --target "$address" "${shape[@]}" --settle true
  stop_server
  row "store get" - store_get --data_dir "$work/seed/db" "${shape[@]}"
  row "store put" - store_put --data_dir "$work/seed/db" "${shape[@]}"

  start_etcd
  "$bin/content-load" --scenario etcd_load --target 127.0.0.1:23790 "${shape[@]}" >&2
  row "etcd range" "$etcd_pid" etcd_range --target 127.0.0.1:23790 "${shape[@]}"
  row "etcd range zipfian" "$etcd_pid" etcd_range --target 127.0.0.1:23790 "${shape[@]}" --keys zipfian
  row "etcd put" "$etcd_pid" etcd_put --target 127.0.0.1:23790 "${shape[@]}" --settle true
  stop_etcd

  start_postgres
  pg_copy_seed=$("$bin/content-load" --scenario pg_load --postgres "$pg" "${shape[@]}" 2>>"$work/pg.log")
  row "postgres get" "$pg_pid" pg_get --postgres "$pg" "${shape[@]}"
  row "postgres get zipfian" "$pg_pid" pg_get --postgres "$pg" "${shape[@]}" --keys zipfian
  row "postgres put" "$pg_pid" pg_put --postgres "$pg" "${shape[@]}" --settle true
  bench/postgres.sh stop "$work/pg"
  echo
  echo "PostgreSQL's COPY of the same ${corpus} articles into its indexed table: ${pg_copy_seed} documents/s."
  echo
fi

if [[ $sections == *" generated "* ]]; then
  shape=(--articles generated --corpus "$corpus")
  read -r json_mb mean_bytes < <("$bin/content-load" --scenario corpus_size "${shape[@]}")
  echo "## Generator-sized articles: ${corpus}, ${mean_bytes} bytes serialized on average"
  echo
  header
  serve_corpus generated
  row "get zipfian (100k)" "$server" get --target "$address" "${shape[@]}" --keys zipfian
  row "put (generated)" "$server" put --target "$address" "${shape[@]}" --settle true
  row "list_filtered (100k)" "$server" list_filtered --target "$address" "${shape[@]}"
  stop_server
  echo
  echo "Import end to end (contentctl import of ${corpus} generated documents into an empty server, durable):"
  echo
  import_row=$(bench/import_benchmark.sh "$corpus")
  echo "$import_row"
  rate[import]=$(echo "$import_row" | tail -1 | awk -F'|' '{ print $5 + 0 }')
  rm -rf "$work/pg"
  start_postgres
  rate[pg_copy]=$("$bin/content-load" --scenario pg_load --postgres "$pg" "${shape[@]}" 2>>"$work/pg.log")
  bench/postgres.sh stop "$work/pg"
  echo
  echo "PostgreSQL's COPY of the same documents (as JSON) into its indexed table: ${rate[pg_copy]} documents/s."
  echo
fi

if [[ $sections == *" large "* ]]; then
  shape=(--articles generated --corpus "$large")
  echo "## ${large} generator-sized articles"
  echo
  load_start=$(date +%s)
  serve_corpus large
  echo "Loaded and serving in $(( $(date +%s) - load_start )) s (written straight into the store, before the server opens it)."
  echo
  header
  row "get zipfian (large)" "$server" get --target "$address" "${shape[@]}" --keys zipfian
  row "get (large)" "$server" get --target "$address" "${shape[@]}"
  row "list_filtered (large)" "$server" list_filtered --target "$address" "${shape[@]}"
  half=$(awk -v r="${rate["list_filtered (large)"]}" 'BEGIN { printf "%d", r / 2 }')
  row "list_filtered (large) at half" "$server" list_filtered --target "$address" "${shape[@]}" --rate "$half"
  rss_mb=$(awk '/VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$server/status")
  hwm_mb=$(awk '/VmHWM/ { printf "%.0f", $2 / 1024 }' "/proc/$server/status")
  stop_server
  disk_mb=$(du -sm "$work/large/db" | cut -f1)
  read -r json_mb mean_bytes < <("$bin/content-load" --scenario corpus_size "${shape[@]}")
  echo
  echo "Server memory after Get and List: ${rss_mb} MB resident, peak ${hwm_mb} MB."
  echo "On disk: ${disk_mb} MB; the corpus as proto3 JSON: ${json_mb} MB" \
       "(ratio $(awk -v d="$disk_mb" -v j="$json_mb" 'BEGIN { printf "%.2f", d / j }'))."
  echo
fi

echo "## Ratios (targets of issue 16)"
echo
echo "| ratio | measured | target |"
echo "|---|---:|---|"
ratio "Put / etcd Put (seed-sized)" put "etcd put" "≥ 1.0x"
ratio "Put / PostgreSQL upsert (seed-sized)" put "postgres put" "≥ 1.5x"
ratio "Get / health Check" get health "≥ 0.8x"
ratio "Get / etcd Range" get "etcd range" "≥ 3x"
ratio "Get zipfian / etcd Range zipfian" "get zipfian" "etcd range zipfian" "≥ 3x"
ratio "Get / PostgreSQL point read" get "postgres get" "≥ 1.5x"
ratio "Get zipfian / PostgreSQL point read zipfian" "get zipfian" "postgres get zipfian" "≥ 1.5x"
ratio "Get zipfian at ${large} / at ${corpus}" "get zipfian (large)" "get zipfian (100k)" "≥ 0.77x (within 1.3x)"
ratio "Import / PostgreSQL COPY" import pg_copy "≥ 2x (and ≥ 10,000 documents/s)"
echo "| filtered List p99 at ${large}, half the closed-loop maximum | ${p99[list_filtered (large) at half]:-?} ms | < 5 ms |"
