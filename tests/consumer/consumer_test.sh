#!/usr/bin/env bash
# Installs the client package from BUILD_DIR into a temporary prefix, builds
# tests/consumer against it twice (CMake package, then pkg-config), and runs
# both against a live content-server on a free loopback port.
#   consumer_test.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
build_dir=$1
source_dir=$2
work=$(mktemp -d)
server=
cleanup() {
  [ -n "$server" ] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

cmake --install "$build_dir" --prefix "$work/prefix" >/dev/null
cmake -S "$source_dir/tests/consumer" -B "$work/cmake-build" \
  -DCMAKE_PREFIX_PATH="$work/prefix" >/dev/null
cmake --build "$work/cmake-build" >/dev/null
PKG_CONFIG_PATH="$work/prefix/lib/pkgconfig" \
  g++ -std=c++17 -o "$work/pkg-config-consumer" "$source_dir/tests/consumer/main.cc" \
  $(PKG_CONFIG_PATH="$work/prefix/lib/pkgconfig" pkg-config --cflags --libs content-client)

"$build_dir/bin/content-server" --listen 127.0.0.1:0 --data_dir "$work/data" \
  --metrics_listen= 2>"$work/server.log" &
server=$!
for _ in $(seq 100); do grep -q event=listening "$work/server.log" && break; sleep 0.1; done
address=$(grep -o 'address=[^ ]*' "$work/server.log" | head -1 | cut -d= -f2)
"$work/cmake-build/consumer" "$address"
"$work/pkg-config-consumer" "$address"
