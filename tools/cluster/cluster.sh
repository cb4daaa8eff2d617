#!/usr/bin/env bash
# A replicated cluster on loopback (README "Running replicated"): a 3-member
# etcd 3.4 (Debian's etcd-server) as the commit log and 3 content-server
# replicas, each with its own RocksDB.
#
#   tools/cluster/cluster.sh start [DIR]   # default DIR: ./cluster-data
#   tools/cluster/cluster.sh stop [DIR]
#
# Ports (override with the environment): etcd clients ETCD_PORTS
# (2379 22379 32379) and peers ETCD_PEER_PORTS (2380 22380 32380); replicas
# PORTS (50051 50052 50053). `start` prints the address list a client
# takes (contentctl --server A,B,C). Logs and pid files are in DIR.
set -euo pipefail
command=${1:?usage: cluster.sh start|stop [DIR]}
dir=$(realpath -m "${2:-./cluster-data}")
read -r -a etcd_ports <<<"${ETCD_PORTS:-2379 22379 32379}"
read -r -a peer_ports <<<"${ETCD_PEER_PORTS:-2380 22380 32380}"
read -r -a ports <<<"${PORTS:-50051 50052 50053}"
server=${CONTENT_SERVER:-$(dirname "$0")/../../build/bin/content-server}

# wait_for LOG TEXT: until LOG holds TEXT (at most 30 s).
wait_for() {
  for _ in $(seq 300); do
    grep -q "$2" "$1" 2>/dev/null && return 0
    sleep 0.1
  done
  echo "cluster: $1 never said '$2'" >&2
  return 1
}

start() {
  mkdir -p "$dir"
  local initial="" endpoints="" addresses=""
  for i in 0 1 2; do
    initial+="${initial:+,}e$i=http://127.0.0.1:${peer_ports[$i]}"
    endpoints+="${endpoints:+,}127.0.0.1:${etcd_ports[$i]}"
    addresses+="${addresses:+,}127.0.0.1:${ports[$i]}"
  done
  # etcd flags: the members and their URLs; nothing else departs from
  # etcd's defaults (--max-request-bytes 1.5 MiB, which the replicas' 1 MiB
  # entries stay below; --quota-backend-bytes 2 GiB, which holds only the
  # retained log: the replicas compact it behind the slowest live one).
  for i in 0 1 2; do
    etcd --name "e$i" --data-dir "$dir/etcd$i" \
      --listen-client-urls "http://127.0.0.1:${etcd_ports[$i]}" \
      --advertise-client-urls "http://127.0.0.1:${etcd_ports[$i]}" \
      --listen-peer-urls "http://127.0.0.1:${peer_ports[$i]}" \
      --initial-advertise-peer-urls "http://127.0.0.1:${peer_ports[$i]}" \
      --initial-cluster "$initial" >>"$dir/etcd$i.log" 2>&1 &
    echo $! >"$dir/etcd$i.pid"
  done
  for i in 0 1 2; do wait_for "$dir/etcd$i.log" "ready to serve client requests"; done
  for i in 0 1 2; do
    "$server" --listen "127.0.0.1:${ports[$i]}" --data_dir "$dir/replica$i" \
      --metrics_listen "" --replication etcd --etcd_endpoints "$endpoints" \
      --replica_id "r$i" >>"$dir/replica$i.log" 2>&1 &
    echo $! >"$dir/replica$i.pid"
  done
  for i in 0 1 2; do wait_for "$dir/replica$i.log" "event=listening"; done
  echo "$addresses"
}

stop() {
  local pid
  for name in replica0 replica1 replica2 etcd0 etcd1 etcd2; do
    [ -f "$dir/$name.pid" ] || continue
    pid=$(cat "$dir/$name.pid")
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 300); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    rm -f "$dir/$name.pid"
  done
}

case "$command" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: cluster.sh start|stop [DIR]" >&2; exit 2 ;;
esac
