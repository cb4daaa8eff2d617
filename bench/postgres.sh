#!/usr/bin/env bash
# A throwaway PostgreSQL 15 server for the benchmark's PostgreSQL peer: its
# own data directory, loopback only, durable (fsync and synchronous_commit
# on, Debian's defaults), shared_buffers 192MB. Installs postgresql-15 if
# missing. As root, the server runs as the postgres user (initdb refuses
# root).
#
#   bench/postgres.sh start DIR PORT   # prints the postmaster's pid
#   bench/postgres.sh stop DIR
set -euo pipefail
command=${1:-} dir=${2:-}
bindir=/usr/lib/postgresql/15/bin
as_owner=()
[ "$(id -u)" -eq 0 ] && as_owner=(runuser -u postgres --)

case $command in
  start)
    port=${3:?usage: $0 start DIR PORT}
    if [ ! -x "$bindir/postgres" ]; then
      sudo=$([ "$(id -u)" -eq 0 ] || echo sudo)
      $sudo apt-get update -q >&2
      $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
        --no-install-recommends postgresql-15 >&2
    fi
    mkdir -p "$dir"
    # The postgres user must reach DIR: its parent is made traversable (the
    # benchmark's own temporary directory; /tmp already is).
    [ ${#as_owner[@]} -gt 0 ] && chmod o+x "$(dirname "$dir")" &&
      chown postgres "$dir"
    "${as_owner[@]}" "$bindir/initdb" -D "$dir/data" -U bench --auth=trust \
      --no-sync >&2
    "${as_owner[@]}" "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
      -o "-c listen_addresses=127.0.0.1 -p $port -k '$dir' -c shared_buffers=192MB -c max_connections=200" \
      start >&2
    head -1 "$dir/data/postmaster.pid"
    ;;
  stop)
    "${as_owner[@]}" "$bindir/pg_ctl" -D "$dir/data" -m fast -w stop >&2
    ;;
  *)
    echo "usage: $0 start DIR PORT | stop DIR" >&2
    exit 2
    ;;
esac
