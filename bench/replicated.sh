#!/usr/bin/env bash
# Replicated mode against one process, same corpus, same machine
# (docs/benchmarks.md "Replicated mode"): Get (default and local reads), a
# filtered List, durable Put, the import of the corpus; and a raw etcd Put
# of the same bytes at the same concurrency. Every replica, etcd member and
# load generator shares this machine's cores: read ratios, not absolutes.
#
#   bench/replicated.sh [SECONDS_PER_SCENARIO] [CORPUS]
#
# Defaults: 8 s, 20000 articles. Needs `make build` and etcd-server.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-8}"
corpus="${2:-20000}"
concurrency=32
bin=build/bin
work=$(mktemp -d)
base=$((20000 + RANDOM % 30000))
export ETCD_PORTS="$base $((base + 1)) $((base + 2))"
export ETCD_PEER_PORTS="$((base + 3)) $((base + 4)) $((base + 5))"
export PORTS="$((base + 6)) $((base + 7)) $((base + 8))"
export CONTENT_SERVER=$bin/content-server
single=
cleanup() {
  [ -n "$single" ] && kill "$single" 2>/dev/null
  tools/cluster/cluster.sh stop "$work/cluster" >/dev/null 2>&1 || true
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# row LABEL PID SCENARIO [content-load flags...]
row() {
  local label=$1 pid=$2 scenario=$3; shift 3
  "$bin/content-load" --scenario "$scenario" --seconds "$seconds" \
    --corpus "$corpus" --concurrency "$concurrency" --server_pid "$pid" "$@" |
    sed "s/^| $scenario |/| $label |/"
}

# import TARGET: prints documents/s of importing the corpus.
import() {
  local start end
  start=$(date +%s.%N)
  "$bin/contentctl" --server "$1" import "$work/corpus" >&2
  end=$(date +%s.%N)
  awk -v n="$corpus" -v s="$start" -v e="$end" 'BEGIN { printf "%.0f", n / (e - s) }'
}

"$bin/contentctl" generate --count "$corpus" --seed 42 --out "$work/corpus" >&2
echo "## Replicated (3-member etcd, 3 replicas) against one process: ${corpus} articles, ${seconds} s per scenario, concurrency ${concurrency}"
echo
"$bin/content-load" --scenario header

log=$work/single.log
"$bin/content-server" --listen 127.0.0.1:0 --data_dir "$work/single" \
  --metrics_listen "" 2>"$log" &
single=$!
for _ in $(seq 300); do grep -q event=listening "$log" && break; sleep 0.1; done
address=$(grep -o ' address=[^ ]*' "$log" | head -1 | cut -d= -f2)
single_import=$(import "$address")
row "single: get" "$single" get --target "$address"
row "single: list_filtered" "$single" list_filtered --target "$address"
row "single: put" "$single" put --target "$address"
kill "$single"; wait "$single" 2>/dev/null || true; single=

servers=$(tools/cluster/cluster.sh start "$work/cluster")
replica=$(cat "$work/cluster/replica0.pid")
etcd0=$(cat "$work/cluster/etcd0.pid")
first=${servers%%,*}
replicated_import=$(import "$servers")
row "replicated: get" "$replica" get --target "$first"
row "replicated: get (local)" "$replica" get --target "$first" --read_consistency local
row "replicated: list_filtered" "$replica" list_filtered --target "$first"
row "replicated: list_filtered (local)" "$replica" list_filtered --target "$first" --read_consistency local
row "replicated: put" "$replica" put --target "$first"
row "etcd put, same bytes" "$etcd0" etcd_put --target "127.0.0.1:${ETCD_PORTS%% *}"
echo
echo "Import of the corpus (contentctl import, 500 per message): one process ${single_import} documents/s, replicated ${replicated_import} documents/s."
echo "Server CPU per call: the process measured (the single server, replica 0, or etcd member 0)."
