#include "tests/support/test_data.h"

#include <fstream>
#include <sstream>

#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"

namespace content::testing {

std::string TestDataPath(const std::string& name) {
  return std::string(CONTENT_TEST_DATA_DIR) + "/" + name;
}

v1::Article WithoutServerFields(v1::Article article) {
  article.clear_revision();
  article.clear_etag();
  article.clear_create_time();
  article.clear_update_time();
  return article;
}

v1::Article SeedArticle() {
  std::ifstream in(TestDataPath("seed_article.json"));
  std::stringstream json;
  json << in.rdbuf();
  v1::Article article;
  const auto status =
      google::protobuf::util::JsonStringToMessage(json.str(), &article);
  EXPECT_TRUE(status.ok()) << status.message().as_string();
  return article;
}

}  // namespace content::testing
