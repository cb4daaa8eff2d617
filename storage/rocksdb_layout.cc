#include "storage/rocksdb_layout.h"

#include "absl/strings/str_cat.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "google/protobuf/wire_format_lite.h"
#include "rocksdb/filter_policy.h"
#include "rocksdb/table.h"

namespace content {

std::string ArticleKey(absl::string_view key) {
  return absl::StrCat(kArticlePrefix, key);
}

std::string AliasKey(absl::string_view alias) {
  return absl::StrCat(kAliasPrefix, alias);
}

std::string ChangeKey(int64_t revision, uint32_t sequence) {
  std::string key(kChangePrefix);
  for (int shift = 56; shift >= 0; shift -= 8) {
    key.push_back(
        static_cast<char>((static_cast<uint64_t>(revision) >> shift) & 0xff));
  }
  for (int shift = 24; shift >= 0; shift -= 8) {
    key.push_back(static_cast<char>((sequence >> shift) & 0xff));
  }
  return key;
}

int64_t ChangeRevision(absl::string_view key) {
  uint64_t revision = 0;
  for (size_t i = 0; i < 8 && kChangePrefix.size() + i < key.size(); ++i) {
    revision = (revision << 8) |
               static_cast<unsigned char>(key[kChangePrefix.size() + i]);
  }
  return static_cast<int64_t>(revision);
}

std::string ChangeRecord(bool deleted, absl::string_view key,
                         absl::string_view stored_bytes,
                         const std::optional<v1::Article>& previous) {
  storage::StoredChange change;
  change.set_deleted(deleted);
  change.set_key(std::string(key));
  if (previous.has_value()) *change.mutable_previous() = *previous;
  std::string bytes = change.SerializeAsString();
  {
    // Field 3, length-delimited: the StoredArticle as already serialized.
    google::protobuf::io::StringOutputStream stream(&bytes);
    google::protobuf::io::CodedOutputStream out(&stream);
    out.WriteTag(google::protobuf::internal::WireFormatLite::MakeTag(
        storage::StoredChange::kStoredFieldNumber,
        google::protobuf::internal::WireFormatLite::WIRETYPE_LENGTH_DELIMITED));
    out.WriteVarint32(static_cast<uint32_t>(stored_bytes.size()));
    out.WriteRaw(stored_bytes.data(), static_cast<int>(stored_bytes.size()));
  }
  return bytes;
}

absl::Status FromRocks(const rocksdb::Status& status, absl::string_view what) {
  const std::string message = absl::StrCat(what, ": ", status.ToString());
  if (status.IsNoSpace()) return absl::ResourceExhaustedError(message);
  if (status.IsCorruption()) return absl::DataLossError(message);
  if (status.IsBusy() || status.IsTimedOut() || status.IsTryAgain()) {
    return absl::UnavailableError(message);
  }
  return absl::InternalError(message);
}

absl::StatusOr<storage::StoredArticle> ParseStored(const rocksdb::Slice& bytes,
                                                   absl::string_view key) {
  storage::StoredArticle stored;
  if (!stored.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    return absl::DataLossError(absl::StrCat("unparsable article at ", key));
  }
  return stored;
}

absl::StatusOr<absl::string_view> StoredArticleBytes(absl::string_view bytes,
                                                     absl::string_view key) {
  google::protobuf::io::CodedInputStream in(
      reinterpret_cast<const uint8_t*>(bytes.data()),
      static_cast<int>(bytes.size()));
  absl::string_view article;
  constexpr uint32_t kArticleTag =
      (storage::StoredArticle::kArticleFieldNumber << 3) |
      2;  // length-delimited
  for (uint32_t tag = in.ReadTag(); tag != 0; tag = in.ReadTag()) {
    if (tag == kArticleTag) {
      uint32_t length = 0;
      if (!in.ReadVarint32(&length)) break;
      const int start = in.CurrentPosition();
      if (!in.Skip(static_cast<int>(length))) break;
      article = bytes.substr(static_cast<size_t>(start), length);
    } else if (!google::protobuf::internal::WireFormatLite::SkipField(&in,
                                                                      tag)) {
      break;
    }
  }
  if (!in.ConsumedEntireMessage() ||
      in.CurrentPosition() != static_cast<int>(bytes.size())) {
    return absl::DataLossError(absl::StrCat("unparsable article at ", key));
  }
  return article;
}

PinnedValues MultiGetPinned(rocksdb::DB* db,
                            const rocksdb::ReadOptions& read_options,
                            const std::vector<std::string>& keys) {
  const std::vector<rocksdb::Slice> slices(keys.begin(), keys.end());
  PinnedValues pinned;
  pinned.values.resize(keys.size());
  pinned.statuses.resize(keys.size());
  db->MultiGet(read_options, db->DefaultColumnFamily(), keys.size(),
               slices.data(), pinned.values.data(), pinned.statuses.data());
  return pinned;
}

rocksdb::Options MakeOptions(const RocksDbOptions& store_options) {
  rocksdb::BlockBasedTableOptions table;
  table.block_cache = rocksdb::NewLRUCache(store_options.block_cache_bytes);
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
  options.max_open_files = store_options.max_open_files;
  if (store_options.env != nullptr) options.env = store_options.env;
  return options;
}

}  // namespace content
