#include "storage/article_index.h"

#include <algorithm>
#include <cstdint>

#include "absl/strings/str_cat.h"

namespace content {
namespace {

using SortBy = ArticleQuery::SortBy;
using Field = ArticleQuery::Field;

constexpr size_t kTimeKeyWidth = 13;  // presence, seconds, nanos
constexpr size_t kQualityKeyWidth = 4;

void AppendBigEndian(uint64_t value, int bytes, std::string* out) {
  for (int shift = 8 * (bytes - 1); shift >= 0; shift -= 8) {
    out->push_back(static_cast<char>((value >> shift) & 0xff));
  }
}

void AppendVarint(uint64_t value, std::string* out) {
  while (value >= 0x80) {
    out->push_back(static_cast<char>((value & 0x7f) | 0x80));
    value >>= 7;
  }
  out->push_back(static_cast<char>(value));
}

// A present time sorts after every absent one; flipping the sign bit makes
// two's-complement seconds sort bytewise.
std::string TimeKey(absl::Time time) {
  int64_t seconds = absl::ToUnixSeconds(time);
  int64_t nanos =
      (time - absl::FromUnixSeconds(seconds)) / absl::Nanoseconds(1);
  if (nanos < 0) {
    --seconds;
    nanos += 1000000000;
  }
  std::string key(1, '\x01');
  AppendBigEndian(static_cast<uint64_t>(seconds) ^ (uint64_t{1} << 63), 8,
                  &key);
  AppendBigEndian(static_cast<uint64_t>(nanos), 4, &key);
  return key;
}

std::string QualityKey(int32_t quality) {
  std::string key;
  AppendBigEndian(static_cast<uint32_t>(quality) ^ 0x80000000u, 4, &key);
  return key;
}

std::string SortKey(SortBy sort_by, const v1::Article& article) {
  if (sort_by == SortBy::kQuality) return QualityKey(article.quality());
  if (!article.has_published_date_time()) {
    return std::string(kTimeKeyWidth, '\0');
  }
  return TimeKey(PublishedTime(article));
}

char FieldCode(const std::optional<ArticleQuery::Equals>& condition) {
  if (!condition.has_value()) return '*';
  switch (condition->field) {
    case Field::kCategory:
      return 'c';
    case Field::kType:
      return 'y';
    case Field::kTopic:
      return 'o';
    case Field::kProviderDomain:
      return 'd';
    case Field::kPublished:
      return 'p';
  }
  return '?';
}

}  // namespace

std::string PostingPrefix(
    SortBy sort_by, const std::optional<ArticleQuery::Equals>& condition) {
  std::string prefix(kPostingPrefix);
  prefix.push_back(sort_by == SortBy::kQuality ? 'q' : 't');
  prefix.push_back(FieldCode(condition));
  const absl::string_view value =
      condition.has_value() ? absl::string_view(condition->value) : "";
  AppendVarint(value.size(), &prefix);
  prefix.append(value.data(), value.size());
  return prefix;
}

std::string ReferencePrefix(absl::string_view related_key) {
  std::string prefix(kReferencePrefix);
  AppendVarint(related_key.size(), &prefix);
  prefix.append(related_key.data(), related_key.size());
  return prefix;
}

std::vector<std::string> IndexKeys(absl::string_view key,
                                   const storage::StoredArticle& stored) {
  const v1::Article& article = stored.article();
  std::vector<std::optional<ArticleQuery::Equals>> conditions = {
      std::nullopt,
      ArticleQuery::Equals{Field::kCategory, article.category()},
      ArticleQuery::Equals{Field::kType, article.type()},
      ArticleQuery::Equals{Field::kProviderDomain, article.provider().domain()},
      ArticleQuery::Equals{Field::kPublished,
                           article.published() ? "true" : "false"},
  };
  for (const std::string& topic : article.topics()) {
    conditions.push_back(ArticleQuery::Equals{Field::kTopic, topic});
  }
  std::vector<std::string> keys;
  for (SortBy sort_by : {SortBy::kPublishedTime, SortBy::kQuality}) {
    const std::string position = absl::StrCat(SortKey(sort_by, article), key);
    for (const auto& condition : conditions) {
      keys.push_back(absl::StrCat(PostingPrefix(sort_by, condition), position));
    }
  }
  for (const std::string& related : stored.related_keys()) {
    keys.push_back(absl::StrCat(ReferencePrefix(related), key));
  }
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  return keys;
}

PositionRange SortRange(const ArticleQuery& query) {
  PositionRange range;
  if (query.sort_by == SortBy::kQuality) {
    if (query.quality_min.has_value()) {
      range.lower = QualityKey(*query.quality_min);
    }
    if (query.quality_max.has_value()) {
      std::string upper = PrefixSuccessor(QualityKey(*query.quality_max));
      if (!upper.empty()) range.upper = std::move(upper);
    }
    return range;
  }
  if (query.published_min.has_value()) {
    range.lower = TimeKey(*query.published_min);
  } else if (query.published_max.has_value()) {
    range.lower = "\x01";  // only articles that have a time
  }
  if (query.published_max.has_value()) {
    range.upper = PrefixSuccessor(TimeKey(*query.published_max));
  }
  return range;
}

size_t SortKeyWidth(SortBy sort_by) {
  return sort_by == SortBy::kQuality ? kQualityKeyWidth : kTimeKeyWidth;
}

std::string PrefixSuccessor(absl::string_view prefix) {
  std::string successor(prefix);
  while (!successor.empty() &&
         static_cast<unsigned char>(successor.back()) == 0xff) {
    successor.pop_back();
  }
  if (!successor.empty())
    successor.back() =
        static_cast<char>(static_cast<unsigned char>(successor.back()) + 1);
  return successor;
}

}  // namespace content
