#include "storage/article_layout.h"

#include "absl/strings/str_cat.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "google/protobuf/wire_format_lite.h"

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

absl::StatusOr<storage::StoredArticle> ParseStored(absl::string_view bytes,
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

}  // namespace content
