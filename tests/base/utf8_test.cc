#include "base/utf8.h"

#include <string>

#include "gtest/gtest.h"

namespace content {
namespace {

struct Utf8Case {
  std::string text;
  size_t first_invalid;  // text.size() when valid
};

class Utf8Test : public ::testing::TestWithParam<Utf8Case> {};

TEST_P(Utf8Test, FindsTheFirstByteThatIsNotWellFormed) {
  EXPECT_EQ(FirstInvalidUtf8(GetParam().text), GetParam().first_invalid);
  EXPECT_EQ(IsValidUtf8(GetParam().text),
            GetParam().first_invalid == GetParam().text.size());
}

INSTANTIATE_TEST_SUITE_P(
    Table, Utf8Test,
    ::testing::Values(Utf8Case{"", 0}, Utf8Case{"plain ASCII", 11},
                      Utf8Case{"Caf\xC3\xA9", 5},       // é
                      Utf8Case{"\xE2\x82\xAC", 3},      // €
                      Utf8Case{"\xF0\x9F\x98\x80", 4},  // U+1F600
                      Utf8Case{"\xF4\x8F\xBF\xBF", 4},  // U+10FFFF
                      Utf8Case{"Caf\xE9 prices", 3},    // Latin-1 é
                      Utf8Case{"ab\x80", 2},            // lone continuation
                      Utf8Case{"\xC0\xAF", 0},          // overlong '/'
                      Utf8Case{"\xC1\xBF", 0},          // overlong
                      Utf8Case{"\xE0\x80\xAF", 0},      // overlong
                      Utf8Case{"\xF0\x80\x80\xAF", 0},  // overlong
                      Utf8Case{"x\xED\xA0\x80", 1},     // surrogate U+D800
                      Utf8Case{"\xED\x9F\xBF", 3},      // U+D7FF is fine
                      Utf8Case{"\xF4\x90\x80\x80", 0},  // beyond U+10FFFF
                      Utf8Case{"\xF5\x80\x80\x80", 0},  // never a lead
                      Utf8Case{"\xFF", 0},
                      Utf8Case{"ok\xE2\x82", 2},    // truncated
                      Utf8Case{"\xE2\x28\xA1", 0},  // bad continuation
                      Utf8Case{std::string("a\0b", 3), 3},
                      // Past the eight-byte ASCII steps.
                      Utf8Case{"abcdefghijklmnop\xE9", 16},
                      Utf8Case{"abcdefgh\xC3\xA9ijklmnopq", 19},
                      Utf8Case{"abcdefg\xC3\xA9hijklmnop\x80",
                               18}));  // NUL is UTF-8

}  // namespace
}  // namespace content
