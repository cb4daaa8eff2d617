#!/usr/bin/env bash
# Fails when a source file includes a header of a folder its folder may not
# use. The arrows (README "Layout"):
#   base/     -> nothing of ours
#   storage/  -> base, generated messages
#   client/   -> base, client, generated messages (the installable library)
#   document/ -> base, document, generated messages (the codec)
#   service/  -> base, storage, service, generated messages (never client)
#   tools/    -> base, client, document, tools, generated messages
#   rocksdb/ headers only from storage/
# Known exception, until the backup file format leaves storage/ (issue 14):
#   tools/contentctl/backup_command.cc -> storage/backup_format.h
set -uo pipefail
cd "${1:-$(dirname "$0")/../..}"

failures=0
# check FOLDER ALLOWED_PREFIXES_REGEX
check() {
  local folder=$1 allowed=$2
  while IFS=: read -r file line include; do
    header=$(sed -E 's/.*#include "([^"]+)".*/\1/' <<<"$include")
    case "$file -> $header" in
      "tools/contentctl/backup_command.cc -> storage/backup_format.h") continue ;;
    esac
    if ! grep -Eq "^($allowed)" <<<"$header"; then
      echo "$file:$line: includes $header, which $folder/ may not use"
      failures=$((failures + 1))
    fi
  done < <(grep -n '^#include "' -r "$folder" --include='*.cc' --include='*.h')
}

generated='content/|google/|grpc/|grpcpp/|absl/|gtest/|gmock/|benchmark/'
check base "base/|absl/"
check storage "base/|storage/|rocksdb/|$generated"
check client "base/|client/|$generated"
check document "base/|document/|$generated"
check service "base/|storage/|service/|$generated"
check tools "base/|client/|document/|tools/|$generated"

# RocksDB stays behind storage/.
while IFS=: read -r file line include; do
  case "$file" in storage/*) continue ;; esac
  echo "$file:$line: includes a RocksDB header outside storage/"
  failures=$((failures + 1))
done < <(grep -n '^#include "rocksdb/' -r base client document service tools \
  --include='*.cc' --include='*.h')

if [ "$failures" -ne 0 ]; then
  echo "$failures include(s) cross a layer boundary" >&2
  exit 1
fi
echo "includes follow the layers"
