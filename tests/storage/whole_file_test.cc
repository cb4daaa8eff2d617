// ReadWholeFile and WriteFileAtomically: contents come back byte for byte;
// failures name the file.

#include "storage/whole_file.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/status_matchers.h"
#include "tests/support/temp_dir.h"

namespace content {
namespace {

using ::content::testing::IsOk;
using ::content::testing::StatusIs;
using ::testing::HasSubstr;

TEST(WholeFileTest, WhatIsWrittenReadsBackByteForByte) {
  testing::TempDir dir;
  const std::string path = dir.path() + "/doc.md";
  std::string contents = "---\r\ntitle: \xC3\xA9\n---\n";
  contents.push_back('\0');
  contents.append(100000, 'x');  // past any single read
  ASSERT_THAT(WriteFileAtomically(path, contents), IsOk());
  absl::StatusOr<std::string> read = ReadWholeFile(path);
  ASSERT_THAT(read, IsOk());
  EXPECT_EQ(*read, contents);
}

TEST(WholeFileTest, AFileThatReportsNoSizeIsReadToItsEnd) {
  // Files under /proc report a size of 0 and hold more.
  absl::StatusOr<std::string> read = ReadWholeFile("/proc/self/status");
  ASSERT_THAT(read, IsOk());
  EXPECT_THAT(*read, HasSubstr("VmRSS:"));
}

TEST(WholeFileTest, AnEmptyFileReadsAsEmpty) {
  testing::TempDir dir;
  const std::string path = dir.path() + "/empty";
  ASSERT_THAT(WriteFileAtomically(path, ""), IsOk());
  absl::StatusOr<std::string> read = ReadWholeFile(path);
  ASSERT_THAT(read, IsOk());
  EXPECT_EQ(*read, "");
}

TEST(WholeFileTest, MissingFilesAndDirectoriesAreNamedWithTheReason) {
  testing::TempDir dir;
  const absl::StatusOr<std::string> missing =
      ReadWholeFile(dir.path() + "/missing");
  EXPECT_THAT(missing, StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(missing.status().message(),
              HasSubstr("/missing: cannot be read: No such file"));
  const absl::StatusOr<std::string> directory = ReadWholeFile(dir.path());
  EXPECT_THAT(directory, StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(directory.status().message(),
              HasSubstr("cannot be read: Is a directory"));
}

}  // namespace
}  // namespace content
