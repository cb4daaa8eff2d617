#include "storage/article_query.h"

#include <algorithm>

namespace content {
namespace {

bool MatchesEquals(const ArticleQuery::Equals& condition,
                   const v1::Article& article) {
  switch (condition.field) {
    case ArticleQuery::Field::kCategory:
      return article.category() == condition.value;
    case ArticleQuery::Field::kType:
      return article.type() == condition.value;
    case ArticleQuery::Field::kTopic:
      return std::find(article.topics().begin(), article.topics().end(),
                       condition.value) != article.topics().end();
    case ArticleQuery::Field::kProviderDomain:
      return article.provider().domain() == condition.value;
    case ArticleQuery::Field::kPublished:
      return (article.published() ? "true" : "false") == condition.value;
  }
  return false;
}

}  // namespace

absl::Time PublishedTime(const v1::Article& article) {
  if (!article.has_published_date_time()) return absl::InfinitePast();
  return absl::FromUnixSeconds(article.published_date_time().seconds()) +
         absl::Nanoseconds(article.published_date_time().nanos());
}

bool Matches(const ArticleQuery& query, const v1::Article& article) {
  for (const ArticleQuery::Equals& condition : query.equals) {
    if (!MatchesEquals(condition, article)) return false;
  }
  if (query.published_min.has_value() || query.published_max.has_value()) {
    if (!article.has_published_date_time()) return false;
    const absl::Time published = PublishedTime(article);
    if (query.published_min.has_value() && published < *query.published_min) {
      return false;
    }
    if (query.published_max.has_value() && published > *query.published_max) {
      return false;
    }
  }
  if (query.quality_min.has_value() && article.quality() < *query.quality_min) {
    return false;
  }
  if (query.quality_max.has_value() && article.quality() > *query.quality_max) {
    return false;
  }
  return true;
}

v1::Article FilterFields(const v1::Article& article) {
  v1::Article fields;
  fields.set_category(article.category());
  fields.set_type(article.type());
  *fields.mutable_topics() = article.topics();
  fields.mutable_provider()->set_domain(article.provider().domain());
  fields.set_published(article.published());
  if (article.has_published_date_time()) {
    *fields.mutable_published_date_time() = article.published_date_time();
  }
  fields.set_quality(article.quality());
  return fields;
}

bool HasRangeOffTheSortField(const ArticleQuery& query) {
  return query.sort_by == ArticleQuery::SortBy::kPublishedTime
             ? query.quality_min.has_value() || query.quality_max.has_value()
             : query.published_min.has_value() ||
                   query.published_max.has_value();
}

}  // namespace content
