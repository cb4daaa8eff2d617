#!/usr/bin/env bash
# The benchmark suite of docs/benchmarks.md: every scenario and its
# baselines in one run, on loopback, within about 10 minutes on 2 cores.
#
#   bench/run.sh [SECONDS_PER_SCENARIO] [LARGE_CORPUS] [SECTIONS]
#
# Defaults: 10 s, 1000000 articles, all sections: "small large import"
# (100,000-article scenarios and baselines; the large corpus; the import).
#
# Needs `make build` and the Debian package etcd-server (installed here if
# missing). Prints Markdown tables on stdout; logs go to a temporary
# directory that is removed at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-10}"
large="${2:-1000000}"
sections=" ${3:-small large import} "
corpus=100000
concurrency=32
bin=build/bin
work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

if ! command -v etcd >/dev/null; then
  sudo=$([ "$(id -u)" -eq 0 ] || echo sudo)
  $sudo apt-get install -y -q --no-install-recommends etcd-server >&2
fi
make build >&2
[ -x "$bin/content-load" ] || { echo "build/bin/content-load missing" >&2; exit 1; }

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

# measure PID SCENARIO [content-load flags...]: one row, with the CPU time
# per call of process PID (the server, or etcd) during the timed part.
measure() {
  local pid=$1 scenario=$2; shift 2
  "$bin/content-load" --scenario "$scenario" --seconds "$seconds" \
    --server_pid "$pid" "$@"
}

header() { "$bin/content-load" --scenario header; }

if [[ $sections == *" small "* ]]; then
echo "## ${corpus} articles, ${seconds} s per scenario, concurrency ${concurrency}"
echo
mkdir -p "$work/small"
"$bin/content-load" --scenario store_load --data_dir "$work/small/db" --corpus "$corpus" >&2
header
start_server "$work/small"
common=(--target "$address" --corpus "$corpus")
measure "$server" health "${common[@]}" --concurrency "$concurrency"
get_row=$(measure "$server" get "${common[@]}" --concurrency "$concurrency")
echo "$get_row"
measure "$server" batch_get "${common[@]}" --concurrency "$concurrency"
measure "$server" list "${common[@]}" --concurrency "$concurrency"
measure "$server" put "${common[@]}" --concurrency "$concurrency"
measure "$server" mix "${common[@]}" --concurrency "$concurrency"
# Open loop at half of the closed-loop Get throughput: latency under load.
half=$(echo "$get_row" | awk -F'|' '{ printf "%d", $6 / 2 }')
measure "$server" get "${common[@]}" --rate "$half"
stop_server
start_server "$work/small" --durable_writes=false
common=(--target "$address" --corpus "$corpus")
measure "$server" put "${common[@]}" --concurrency "$concurrency" |
  sed 's/| put |/| put (durable_writes=false) |/'
stop_server

# The store alone, in this process: the storage limit.
for scenario in store_get store_put; do
  "$bin/content-load" --scenario "$scenario" --seconds "$seconds" \
    --data_dir "$work/small/db" --corpus "$corpus" --concurrency "$concurrency"
done

# etcd 3.4 on loopback with its own data directory, 3 KB values, the same
# concurrency. Its keys are preloaded first by puts (the Range keys drawn from
# the same space).
etcd --data-dir "$work/etcd" --listen-client-urls http://127.0.0.1:23790 \
  --advertise-client-urls http://127.0.0.1:23790 \
  --listen-peer-urls http://127.0.0.1:23800 >"$work/etcd.log" 2>&1 &
etcd_pid=$!
pids+=("$etcd_pid")
for _ in $(seq 100); do grep -q "ready to serve client requests" "$work/etcd.log" && break; sleep 0.1; done
"$bin/content-load" --scenario etcd_put --target 127.0.0.1:23790 --corpus 10000 \
  --concurrency 256 --seconds "$seconds" >/dev/null
measure "$etcd_pid" etcd_range --target 127.0.0.1:23790 --corpus 10000 --concurrency "$concurrency"
measure "$etcd_pid" etcd_put --target 127.0.0.1:23790 --corpus 10000 --concurrency "$concurrency"
kill "$etcd_pid"; wait "$etcd_pid" 2>/dev/null || true

fi

if [[ $sections == *" large "* ]]; then
echo
echo "## ${large} articles, default configuration"
echo
mkdir -p "$work/large"
load_start=$(date +%s)
"$bin/content-load" --scenario store_load --data_dir "$work/large/db" --corpus "$large" >&2
echo "Loaded in $(( $(date +%s) - load_start )) s (straight into the store, before the server opens it)."
echo
header
start_server "$work/large"
common=(--target "$address" --corpus "$large")
measure "$server" get "${common[@]}" --concurrency "$concurrency"
measure "$server" list "${common[@]}" --concurrency "$concurrency"
rss_mb=$(awk '/VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$server/status")
hwm_mb=$(awk '/VmHWM/ { printf "%.0f", $2 / 1024 }' "/proc/$server/status")
# A topic's articles of one year, newest first: closed loop, then open loops
# at half that throughput and at a light 20 pages/s, for latency under load.
filtered_row=$(measure "$server" list_filtered "${common[@]}" --concurrency "$concurrency")
echo "$filtered_row"
half=$(echo "$filtered_row" | awk -F'|' '{ printf "%d", $6 / 2 }')
measure "$server" list_filtered "${common[@]}" --rate "$half"
measure "$server" list_filtered "${common[@]}" --rate 20
stop_server
disk_mb=$(du -sm "$work/large/db" | cut -f1)
json_mb=$("$bin/content-load" --scenario corpus_json_mb --corpus "$large")
echo
echo "Server memory after Get and List: ${rss_mb} MB resident (peak ${hwm_mb} MB)."
echo "On disk: ${disk_mb} MB; the corpus as proto3 JSON: ${json_mb} MB" \
     "(ratio $(awk -v d="$disk_mb" -v j="$json_mb" 'BEGIN { printf "%.2f", d / j }'))."

fi

if [[ $sections == *" import "* ]]; then
echo
echo "## Import of ${corpus} documents end to end"
echo
bench/import_benchmark.sh "$corpus"
fi
