#include "service/list_query.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace content {
namespace {

using Field = ArticleQuery::Field;
using ::testing::HasSubstr;

TEST(ParseFilterTest, EmptyFilterSelectsEverything) {
  absl::StatusOr<ArticleQuery> query = ParseFilter("  ");
  ASSERT_TRUE(query.ok());
  EXPECT_TRUE(query->equals.empty());
  EXPECT_FALSE(query->published_min.has_value());
  EXPECT_FALSE(query->quality_max.has_value());
}

TEST(ParseFilterTest, ReadsEveryFieldAndJoinsWithAnd) {
  absl::StatusOr<ArticleQuery> query = ParseFilter(
      R"(category = news AND type="video" AND provider.domain = 'a.example' )"
      R"(AND topics:"Machine learning" AND published = true AND )"
      R"(publishedDateTime >= "2024-01-01T00:00:00+02:00" AND )"
      R"(published_date_time < "2024-02-01T00:00:00Z" AND quality > 3 AND )"
      R"(quality <= 7)");
  ASSERT_TRUE(query.ok()) << query.status();
  EXPECT_EQ(query->equals, (std::vector<ArticleQuery::Equals>{
                               {Field::kCategory, "news"},
                               {Field::kType, "video"},
                               {Field::kProviderDomain, "a.example"},
                               {Field::kTopic, "Machine learning"},
                               {Field::kPublished, "true"}}));
  EXPECT_EQ(*query->published_min,
            absl::FromUnixSeconds(1704060000));  // 2023-12-31T22:00:00Z
  EXPECT_EQ(*query->published_max,
            absl::FromUnixSeconds(1706745600) - absl::Nanoseconds(1));
  EXPECT_EQ(*query->quality_min, 4);
  EXPECT_EQ(*query->quality_max, 7);
}

TEST(ParseFilterTest, EqualityOnARangeFieldBoundsBothEnds) {
  absl::StatusOr<ArticleQuery> query =
      ParseFilter("quality = 5 AND quality >= 2");
  ASSERT_TRUE(query.ok());
  EXPECT_EQ(*query->quality_min, 5);
  EXPECT_EQ(*query->quality_max, 5);
}

TEST(ParseFilterTest, StringsTakeEscapes) {
  absl::StatusOr<ArticleQuery> query = ParseFilter(R"(topics:"say \"hi\"")");
  ASSERT_TRUE(query.ok());
  EXPECT_EQ(query->equals[0].value, "say \"hi\"");
}

struct BadFilter {
  const char* name;
  const char* filter;
  const char* message;  // expected part of the error, with the position
};

class BadFilterTest : public ::testing::TestWithParam<BadFilter> {};

TEST_P(BadFilterTest, IsInvalidArgumentNamingThePosition) {
  const absl::StatusOr<ArticleQuery> query = ParseFilter(GetParam().filter);
  ASSERT_FALSE(query.ok());
  EXPECT_EQ(query.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(query.status().message()),
              HasSubstr(GetParam().message));
}

INSTANTIATE_TEST_SUITE_P(
    Table, BadFilterTest,
    ::testing::Values(
        BadFilter{"UnknownField", "topics:AI AND author = x",
                  "at character 15: unknown field 'author'"},
        BadFilter{"WrongOperator", "category > news",
                  "at character 10: operator > cannot be used with category"},
        BadFilter{"HasOnScalar", "category:news", "at character 9"},
        BadFilter{"EqualsOnTopics", "topics = AI",
                  "operator = cannot be used with topics; use :"},
        BadFilter{"NotATime", "publishedDateTime > yesterday",
                  "at character 21: 'yesterday' is not an RFC 3339 time"},
        BadFilter{"NotAnInteger", "quality >= high",
                  "at character 12: 'high' is not a 32-bit integer"},
        BadFilter{"TooLarge", "quality >= 99999999999",
                  "is not a 32-bit integer"},
        BadFilter{"NotABool", "published = yes", "takes true or false"},
        BadFilter{"Or", "category = a OR category = b",
                  "at character 14: expected AND or the end, not 'OR'"},
        BadFilter{"Not", "NOT category = a", "at character 1: NOT is not"},
        BadFilter{"Parentheses", "(category = a)",
                  "at character 1: parentheses are not supported"},
        BadFilter{"NotEquals", "category != a", "!= is not supported"},
        BadFilter{"DanglingAnd", "category = a AND",
                  "at character 17: expected a comparison after AND"},
        BadFilter{"MissingValue", "category =", "expected a value"},
        BadFilter{"MissingOperator", "category news",
                  "at character 10: expected an operator"},
        BadFilter{"UnclosedString", "topics:\"AI",
                  "at character 8: the quoted string is not closed"}),
    [](const ::testing::TestParamInfo<BadFilter>& info) {
      return std::string(info.param.name);
    });

TEST(ParseOrderByTest, AcceptsTheSupportedOrders) {
  ArticleQuery query;
  ASSERT_TRUE(ParseOrderBy("", &query).ok());
  EXPECT_EQ(query.sort_by, ArticleQuery::SortBy::kPublishedTime);
  EXPECT_TRUE(query.descending);
  ASSERT_TRUE(ParseOrderBy("quality", &query).ok());
  EXPECT_EQ(query.sort_by, ArticleQuery::SortBy::kQuality);
  EXPECT_FALSE(query.descending);
  ASSERT_TRUE(ParseOrderBy(" published_date_time  desc ", &query).ok());
  EXPECT_EQ(query.sort_by, ArticleQuery::SortBy::kPublishedTime);
  EXPECT_TRUE(query.descending);
}

TEST(ParseOrderByTest, RejectsOtherOrders) {
  ArticleQuery query;
  for (const char* order_by :
       {"title", "quality sideways", "quality desc, publishedDateTime",
        "quality desc extra"}) {
    EXPECT_EQ(ParseOrderBy(order_by, &query).code(),
              absl::StatusCode::kInvalidArgument)
        << order_by;
  }
}

}  // namespace
}  // namespace content
