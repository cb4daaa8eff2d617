#include "storage/apply_mutation.h"

#include <openssl/sha.h>

#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "google/protobuf/util/time_util.h"

namespace content {
namespace {

using google::protobuf::util::TimeUtil;

void ClearOutputOnly(v1::Article* article) {
  article->clear_revision();
  article->clear_create_time();
  article->clear_update_time();
  article->clear_etag();
}

google::protobuf::Timestamp ToProto(absl::Time time) {
  return TimeUtil::NanosecondsToTimestamp(absl::ToUnixNanos(time));
}

}  // namespace

std::string ContentEtag(const v1::Article& article) {
  v1::Article content = article;
  ClearOutputOnly(&content);
  std::string bytes;
  {
    // Deterministic so that map entries of `extra` hash in a stable order.
    google::protobuf::io::StringOutputStream stream(&bytes);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    content.SerializeToCodedStream(&coded);
  }
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(),
         digest);
  // 128 bits are plenty to tell versions of one article apart.
  return absl::BytesToHexString(
      absl::string_view(reinterpret_cast<const char*>(digest), 16));
}

absl::StatusOr<MutationResult> ApplyMutation(
    const ArticleMutation& mutation, int64_t revision, absl::Time now,
    std::optional<v1::Article>* current) {
  const bool must_exist = !mutation.expected_etag.empty() ||
                          (mutation.kind == ArticleMutation::Kind::kDelete &&
                           !mutation.allow_missing);
  if (!current->has_value()) {
    if (must_exist) {
      return absl::NotFoundError(absl::StrCat("no article for ", mutation.key));
    }
  } else if (!mutation.expected_etag.empty() &&
             (*current)->etag() != mutation.expected_etag) {
    return absl::AbortedError(
        absl::StrCat("etag mismatch for ", mutation.key, ": expected ",
                     mutation.expected_etag, ", stored ", (*current)->etag()));
  }

  MutationResult result;
  if (mutation.kind == ArticleMutation::Kind::kDelete) {
    if (current->has_value()) {
      result.article = std::move(**current);
      result.changed = true;
      current->reset();
    }
    return result;
  }

  v1::Article next = mutation.article;
  next.set_etag(ContentEtag(next));
  if (current->has_value() && (*current)->etag() == next.etag()) {
    result.article = **current;  // unchanged content: keep the revision
    return result;
  }
  next.set_revision(revision);
  *next.mutable_update_time() = ToProto(now);
  *next.mutable_create_time() =
      current->has_value() ? (*current)->create_time() : next.update_time();
  result.article = next;
  result.changed = true;
  *current = std::move(next);
  return result;
}

}  // namespace content
