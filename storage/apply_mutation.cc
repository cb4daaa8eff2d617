#include "storage/apply_mutation.h"

#include <algorithm>
#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "base/sha256.h"
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

std::string ContentEtag(v1::Article* article) {
  ClearOutputOnly(article);
  std::string bytes;
  {
    // Deterministic so that map entries of `extra` hash in a stable order.
    google::protobuf::io::StringOutputStream stream(&bytes);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    article->SerializeToCodedStream(&coded);
  }
  // 128 bits are plenty to tell versions of one article apart.
  return absl::BytesToHexString(Sha256Digest(bytes).substr(0, 16));
}

void PrepareMutation(ArticleMutation* mutation) {
  if (mutation->kind != ArticleMutation::Kind::kPut) return;
  mutation->article.set_etag(ContentEtag(&mutation->article));
}

absl::StatusOr<MutationResult> ApplyMutation(
    ArticleMutation&& mutation, int64_t revision, absl::Time now,
    std::optional<storage::StoredArticle>* current) {
  const bool must_exist = !mutation.expected_etag.empty() ||
                          (mutation.kind == ArticleMutation::Kind::kDelete &&
                           !mutation.allow_missing);
  if (!current->has_value()) {
    if (must_exist) {
      return absl::NotFoundError(absl::StrCat("no article for ", mutation.key));
    }
  } else if (mutation.create_only &&
             mutation.kind == ArticleMutation::Kind::kPut) {
    return absl::AlreadyExistsError(
        absl::StrCat("an article is already stored for ", mutation.key));
  } else if (!mutation.expected_etag.empty() &&
             (*current)->article().etag() != mutation.expected_etag) {
    return absl::AbortedError(absl::StrCat(
        "etag mismatch for ", mutation.key, ": expected ",
        mutation.expected_etag, ", stored ", (*current)->article().etag()));
  }

  MutationResult result;
  if (mutation.kind == ArticleMutation::Kind::kDelete) {
    if (current->has_value()) {
      result.article = std::move(*(*current)->mutable_article());
      result.changed = true;
      result.deleted = true;
      current->reset();
    }
    return result;
  }

  storage::StoredArticle next;
  *next.mutable_article() = std::move(mutation.article);
  next.mutable_alias_keys()->Assign(mutation.alias_keys.begin(),
                                    mutation.alias_keys.end());
  next.mutable_related_keys()->Assign(mutation.related_keys.begin(),
                                      mutation.related_keys.end());
  v1::Article& article = *next.mutable_article();
  if (current->has_value() && (*current)->article().etag() == article.etag() &&
      std::equal((*current)->alias_keys().begin(),
                 (*current)->alias_keys().end(), next.alias_keys().begin(),
                 next.alias_keys().end()) &&
      std::equal((*current)->related_keys().begin(),
                 (*current)->related_keys().end(), next.related_keys().begin(),
                 next.related_keys().end())) {
    return result;  // unchanged: keep the revision
  }
  article.set_revision(revision);
  *article.mutable_update_time() = ToProto(now);
  *article.mutable_create_time() = current->has_value()
                                       ? (*current)->article().create_time()
                                       : article.update_time();
  result.changed = true;
  result.created = !current->has_value();
  *current = std::move(next);
  return result;
}

}  // namespace content
