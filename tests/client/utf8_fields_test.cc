#include "client/utf8_fields.h"

#include "content/v1/article.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/status_matchers.h"

namespace content {
namespace {

using ::content::testing::IsOk;
using ::content::testing::StatusIs;
using ::testing::HasSubstr;

constexpr char kLatin1[] = "Caf\xE9";

TEST(Utf8FieldsTest, AWellFormedArticlePasses) {
  v1::Article article;
  article.set_title("Caf\xC3\xA9");
  article.add_topics("AI");
  article.add_related()->set_title("\xE2\x82\xAC");
  EXPECT_THAT(CheckUtf8Fields(article, "article"), IsOk());
}

TEST(Utf8FieldsTest, NamesTheFieldAndByteOfTheFirstBadString) {
  struct Case {
    void (*set)(v1::Article*);
    const char* path;
  };
  const Case cases[] = {
      {[](v1::Article* a) { a->set_body(kLatin1); }, "article.body: byte 4"},
      {[](v1::Article* a) { a->set_title(kLatin1); }, "article.title"},
      {[](v1::Article* a) {
         a->add_topics("AI");
         a->add_topics(kLatin1);
       },
       "article.topics[1]"},
      {[](v1::Article* a) { a->mutable_provider()->set_name(kLatin1); },
       "article.provider.name"},
      {[](v1::Article* a) {
         a->add_related();
         a->add_related()->add_images()->set_url(kLatin1);
       },
       "article.related[1].images[0].url"},
  };
  for (const Case& c : cases) {
    v1::Article article;
    c.set(&article);
    const absl::Status status = CheckUtf8Fields(article, "article");
    EXPECT_THAT(status, StatusIs(absl::StatusCode::kInvalidArgument));
    EXPECT_THAT(status.message(), HasSubstr(c.path));
  }
}

TEST(Utf8FieldsTest, UnknownKeysInExtraAreCheckedToo) {
  v1::Article article;
  (*article.mutable_extra()->mutable_fields())["note"].set_string_value(
      kLatin1);
  const absl::Status status = CheckUtf8Fields(article, "article");
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(status.message(), HasSubstr("article.extra.fields"));
}

}  // namespace
}  // namespace content
