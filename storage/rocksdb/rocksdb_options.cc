#include "storage/rocksdb/rocksdb_options.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "rocksdb/filter_policy.h"
#include "rocksdb/table.h"

namespace content {

absl::Status FromRocks(const rocksdb::Status& status, absl::string_view what) {
  const std::string message = absl::StrCat(what, ": ", status.ToString());
  if (status.IsNoSpace()) return absl::ResourceExhaustedError(message);
  if (status.IsCorruption()) return absl::DataLossError(message);
  if (status.IsBusy() || status.IsTimedOut() || status.IsTryAgain()) {
    return absl::UnavailableError(message);
  }
  return absl::InternalError(message);
}

rocksdb::Options MakeOptions(const RocksDbOptions& engine_options) {
  rocksdb::BlockBasedTableOptions table;
  table.block_cache = rocksdb::NewLRUCache(engine_options.cache_bytes);
  // Most Gets hit at most one SST: a 10-bit bloom filter (~1% false
  // positives) skips the others, and lookups of unknown URLs touch no data.
  table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
  // Index and filter blocks count against the cache, so memory stays bounded
  // as the store grows; L0's stay pinned because every read consults them.
  table.cache_index_and_filter_blocks = true;
  table.pin_l0_filter_and_index_blocks_in_cache = true;
  // Several articles per block compress far better than one.
  table.block_size = 16 << 10;
  table.format_version = 5;

  rocksdb::Options options;
  options.create_if_missing = true;
  options.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
  // LZ4 where data is rewritten soon, ZSTD at the bottom level, which holds
  // ~90% of the data and is read more than written.
  options.compression = rocksdb::kLZ4Compression;
  options.bottommost_compression = rocksdb::kZSTD;
  options.level_compaction_dynamic_level_bytes = true;
  options.max_background_jobs = 2;
  options.bytes_per_sync = 1 << 20;
  options.keep_log_file_num = 5;
  options.max_open_files = engine_options.max_open_files;
  if (engine_options.env != nullptr) options.env = engine_options.env;
  return options;
}

}  // namespace content
