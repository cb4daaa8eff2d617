#!/usr/bin/env bash
# Fails when a source file includes a header of a folder its folder may not
# use. The arrows (README "Layout"):
#   base/              -> nothing of ours
#   url/               -> base
#   backup/            -> base
#   storage/           -> base, storage, generated messages (the article
#                         layer and the engine seam; no engine)
#   storage/rocksdb/   -> the seam (storage/engine.h, sequence_counter.h),
#                         RocksDB; the only folder that includes RocksDB
#   storage/memory/    -> the seam
#   replication/       -> base, storage, replication, generated messages and
#                         etcd's (replicated mode: an ArticleStore over an
#                         etcd log)
#   client/            -> base, client, generated messages (the library)
#   document/          -> base, document, generated messages (the codec)
#   service/           -> base, url, backup, storage, replication, service,
#                         generated
#                         messages; never client, never an engine, except
#                         content_server_main.cc, the composition root, which
#                         chooses the RocksDB engine
#   tools/             -> base, backup, client, document, tools, generated
set -uo pipefail
cd "${1:-$(dirname "$0")/../..}"

failures=0
# check FOLDER ALLOWED_REGEX [PRUNED_SUBFOLDER...]
check() {
  local folder=$1 allowed=$2
  shift 2
  local prune=()
  for sub in "$@"; do prune+=(--exclude-dir="$sub"); done
  while IFS=: read -r file line include; do
    header=$(sed -E 's/.*#include "([^"]+)".*/\1/' <<<"$include")
    case "$file -> $header" in
      "service/content_server_main.cc -> storage/rocksdb/rocksdb_engine.h") continue ;;
    esac
    if ! grep -Eq "^($allowed)" <<<"$header"; then
      echo "$file:$line: includes $header, which $folder/ may not use"
      failures=$((failures + 1))
    fi
  done < <(grep -n '^#include "' -r "$folder" "${prune[@]}" \
    --include='*.cc' --include='*.h')
}

generated='content/|google/|grpc/|grpcpp/|absl/|gtest/|gmock/|benchmark/'
seam='storage/engine\.h|storage/sequence_counter\.h|absl/'
check base "base/|absl/"
check url "base/|url/|absl/"
check backup "base/|backup/|absl/"
check storage "base/|storage/(engine|sequence_counter|apply_mutation|article_|kv_article_store|write_staging|stored_article)|$generated" rocksdb memory
check storage/rocksdb "$seam|storage/rocksdb/|rocksdb/"
check storage/memory "$seam|storage/memory/"
check replication "base/|storage/|replication/|etcd/|$generated"
check client "base/|client/|$generated"
check document "base/|document/|$generated"
check service "base/|url/|backup/|storage/|replication/|service/|$generated"
check tools "base/|backup/|client/|document/|tools/|$generated"

# An engine stays behind its seam: only the composition root and tests name
# one outside storage/.
while IFS=: read -r file line include; do
  case "$file" in service/content_server_main.cc) continue ;; esac
  echo "$file:$line: includes an engine outside storage/"
  failures=$((failures + 1))
done < <(grep -n '^#include "\(rocksdb/\|storage/rocksdb/\|storage/memory/\)' \
  -r base url backup replication client document service tools \
  --include='*.cc' --include='*.h')

if [ "$failures" -ne 0 ]; then
  echo "$failures include(s) cross a layer boundary" >&2
  exit 1
fi
echo "includes follow the layers"
