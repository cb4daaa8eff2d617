#ifndef CONTENT_TESTS_SUPPORT_TEST_DATA_H_
#define CONTENT_TESTS_SUPPORT_TEST_DATA_H_

#include <string>

#include "content/v1/article.pb.h"

namespace content::testing {

// Path of a file under tests/data.
std::string TestDataPath(const std::string& name);

// The seed document of ../shared/seeds as an Article (tests/data).
v1::Article SeedArticle();

// `article` without its output-only fields: what a client sent.
v1::Article WithoutServerFields(v1::Article article);

}  // namespace content::testing

#endif  // CONTENT_TESTS_SUPPORT_TEST_DATA_H_
