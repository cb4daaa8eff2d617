#include "service/article_validator.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "google/protobuf/timestamp.pb.h"
#include "google/protobuf/util/time_util.h"

namespace content {
namespace {

using google::protobuf::util::TimeUtil;

// Appends to a shared list, naming fields relative to one message.
class Checker {
 public:
  Checker(std::string prefix, const UrlCanonicalizer& canonicalizer,
          const ArticleLimits& limits, std::vector<FieldViolation>* out)
      : prefix_(std::move(prefix)),
        canonicalizer_(canonicalizer),
        limits_(limits),
        out_(out) {}

  Checker Nested(absl::string_view field) const {
    return Checker(Path(field), canonicalizer_, limits_, out_);
  }
  Checker Element(absl::string_view field, int index) const {
    return Nested(absl::StrCat(field, "[", index, "]"));
  }

  const ArticleLimits& limits() const { return limits_; }

  void Fail(absl::string_view field, std::string description) const {
    out_->push_back({Path(field), std::move(description)});
  }

  void Text(absl::string_view field, const std::string& value,
            size_t max_bytes) const {
    if (value.size() > max_bytes) {
      Fail(field, absl::StrCat("is ", value.size(), " bytes long; at most ",
                               max_bytes, " are allowed"));
    }
  }

  std::string Url(absl::string_view field, const std::string& value,
                  bool required) const {
    return ValidateUrl(Path(field), value, required, canonicalizer_, limits_,
                       out_);
  }

  void Time(absl::string_view field, bool present,
            const google::protobuf::Timestamp& value) const {
    if (present && (value.seconds() < TimeUtil::kTimestampMinSeconds ||
                    value.seconds() > TimeUtil::kTimestampMaxSeconds ||
                    value.nanos() < 0 || value.nanos() > 999999999)) {
      Fail(field, "is not a valid timestamp between years 1 and 9999");
    }
  }

  void Count(absl::string_view field, int count, int max) const {
    if (count > max) {
      Fail(field, absl::StrCat("has ", count, " entries; at most ", max,
                               " are allowed"));
    }
  }

  void AtLeast(absl::string_view field, int64_t value, int64_t min) const {
    if (value < min) {
      Fail(field, absl::StrCat("is ", value, "; it must be at least ", min));
    }
  }

 private:
  std::string Path(absl::string_view field) const {
    return prefix_.empty() ? std::string(field)
                           : absl::StrCat(prefix_, ".", field);
  }

  std::string prefix_;
  const UrlCanonicalizer& canonicalizer_;
  const ArticleLimits& limits_;
  std::vector<FieldViolation>* out_;
};

void CheckProvider(const Checker& check, const v1::Provider& provider) {
  check.Text("name", provider.name(), check.limits().max_text_bytes);
  check.Text("domain", provider.domain(), check.limits().max_text_bytes);
}

void CheckImages(const Checker& check,
                 const google::protobuf::RepeatedPtrField<v1::Image>& images) {
  check.Count("images", images.size(), check.limits().max_images);
  for (int i = 0; i < images.size() && i < check.limits().max_images; ++i) {
    const Checker image = check.Element("images", i);
    image.Url("url", images[i].url(), /*required=*/true);
    image.AtLeast("width", images[i].width(), 0);
    image.AtLeast("height", images[i].height(), 0);
  }
}

// Returns the canonical form of the item's web_url; "" if invalid.
std::string CheckRelated(const Checker& check, const v1::RelatedItem& item) {
  const ArticleLimits& limits = check.limits();
  check.Text("title", item.title(), limits.max_text_bytes);
  check.Text("excerpt", item.excerpt(), limits.max_text_bytes);
  check.Text("type", item.type(), limits.max_text_bytes);
  check.Time("published_date_time", item.has_published_date_time(),
             item.published_date_time());
  std::string key = check.Url("web_url", item.web_url(), /*required=*/true);
  check.Url("amp_web_url", item.amp_web_url(), /*required=*/false);
  check.Url("cdn_amp_web_url", item.cdn_amp_web_url(), /*required=*/false);
  CheckProvider(check.Nested("provider"), item.provider());
  check.AtLeast("quality", item.quality(), 0);
  CheckImages(check, item.images());
  return key;
}

}  // namespace

std::string ValidateUrl(absl::string_view field, const std::string& url,
                        bool required, const UrlCanonicalizer& canonicalizer,
                        const ArticleLimits& limits,
                        std::vector<FieldViolation>* violations) {
  if (url.empty()) {
    if (required) violations->push_back({std::string(field), "is required"});
    return "";
  }
  if (url.size() > limits.max_url_bytes) {
    violations->push_back(
        {std::string(field),
         absl::StrCat("is ", url.size(), " bytes long; at most ",
                      limits.max_url_bytes, " are allowed")});
    return "";
  }
  absl::StatusOr<std::string> canonical = canonicalizer.Canonicalize(url);
  if (!canonical.ok()) {
    violations->push_back(
        {std::string(field), absl::StrCat("is not an http(s) URL: it ",
                                          canonical.status().message())});
    return "";
  }
  return std::move(*canonical);
}

std::vector<FieldViolation> ValidateArticle(
    const v1::Article& article, absl::string_view prefix,
    const UrlCanonicalizer& canonicalizer, const ArticleLimits& limits,
    ArticleKeys* keys) {
  std::vector<FieldViolation> violations;
  const Checker check(std::string(prefix), canonicalizer, limits, &violations);
  keys->key = check.Url("web_url", article.web_url(), /*required=*/true);
  keys->alias_keys.clear();
  for (std::string alias :
       {check.Url("original_url", article.original_url(), /*required=*/false),
        check.Url("amp_web_url", article.amp_web_url(), /*required=*/false),
        check.Url("cdn_amp_web_url", article.cdn_amp_web_url(),
                  /*required=*/false)}) {
    if (!alias.empty() && alias != keys->key &&
        std::find(keys->alias_keys.begin(), keys->alias_keys.end(), alias) ==
            keys->alias_keys.end()) {
      keys->alias_keys.push_back(std::move(alias));
    }
  }
  check.Text("category", article.category(), limits.max_text_bytes);
  check.Text("title", article.title(), limits.max_text_bytes);
  check.Text("excerpt", article.excerpt(), limits.max_text_bytes);
  check.Text("type", article.type(), limits.max_text_bytes);
  check.Time("published_date_time", article.has_published_date_time(),
             article.published_date_time());
  check.AtLeast("quality", article.quality(), 0);
  check.AtLeast("heat", article.heat(), -1);
  CheckProvider(check.Nested("provider"), article.provider());
  check.Count("topics", article.topics_size(), limits.max_topics);
  for (int i = 0; i < article.topics_size() && i < limits.max_topics; ++i) {
    check.Text(absl::StrCat("topics[", i, "]"), article.topics(i),
               limits.max_text_bytes);
  }
  CheckImages(check, article.images());
  check.Count("related", article.related_size(), limits.max_related);
  keys->related_keys.clear();
  for (int i = 0; i < article.related_size() && i < limits.max_related; ++i) {
    keys->related_keys.push_back(
        CheckRelated(check.Element("related", i), article.related(i)));
  }
  std::sort(keys->related_keys.begin(), keys->related_keys.end());
  keys->related_keys.erase(
      std::unique(keys->related_keys.begin(), keys->related_keys.end()),
      keys->related_keys.end());
  check.Text("secured", article.secured(), limits.max_secured_bytes);
  check.Text("body", article.body(), limits.max_body_bytes);
  if (article.has_extra() &&
      article.extra().ByteSizeLong() > limits.max_extra_bytes) {
    check.Fail("extra", absl::StrCat("is ", article.extra().ByteSizeLong(),
                                     " bytes serialized; at most ",
                                     limits.max_extra_bytes, " are allowed"));
  }
  return violations;
}

ArticleMutation PutMutation(v1::Article article, ArticleKeys keys) {
  article.DiscardUnknownFields();
  ArticleMutation mutation;
  mutation.key = std::move(keys.key);
  mutation.alias_keys = std::move(keys.alias_keys);
  mutation.related_keys = std::move(keys.related_keys);
  mutation.article = std::move(article);
  return mutation;
}

}  // namespace content
