#!/usr/bin/env bash
# tools/cluster/cluster.sh as the README shows it: start a 3-member etcd and
# 3 replicas, import through all of them, read back from each, compare
# their state digests, stop, and leave no process behind.
#   cluster_script_test.sh SOURCE_DIR CONTENT_SERVER CONTENTCTL
set -euo pipefail
source_dir=$1 server=$2 contentctl=$3
dir=$(mktemp -d)
base=$((20000 + RANDOM % 30000))
export ETCD_PORTS="$base $((base + 1)) $((base + 2))"
export ETCD_PEER_PORTS="$((base + 3)) $((base + 4)) $((base + 5))"
export PORTS="$((base + 6)) $((base + 7)) $((base + 8))"
export CONTENT_SERVER=$server
script=$source_dir/tools/cluster/cluster.sh
trap '"$script" stop "$dir" >/dev/null 2>&1 || true; rm -rf "$dir"' EXIT

servers=$("$script" start "$dir")
"$contentctl" --server "$servers" import "$source_dir/tests/data/seed_document.txt"
url=$(sed -n 's/^webUrl: "\(.*\)"$/\1/p' "$source_dir/tests/data/seed_document.txt")
digests=""
for port in $PORTS; do
  "$contentctl" --server "127.0.0.1:$port" get "$url" >/dev/null
  digests+="$("$contentctl" --server "127.0.0.1:$port" verify | sed -n 's/^state digest //p')"$'\n'
done
[ "$(sort -u <<<"$digests" | grep -c .)" -eq 1 ] || {
  echo "replicas disagree: $digests" >&2; exit 1; }

"$script" stop "$dir"
for name in etcd0 etcd1 etcd2 replica0 replica1 replica2; do
  [ ! -f "$dir/$name.pid" ] || { echo "$name still has a pid file" >&2; exit 1; }
done
echo "cluster started, served, agreed and stopped"
