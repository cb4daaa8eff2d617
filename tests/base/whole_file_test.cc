// ReadWholeFile and WriteFileAtomically: contents come back byte for byte;
// failures name the file.

#include "base/whole_file.h"

#include <cerrno>
#include <filesystem>
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
  EXPECT_THAT(missing.status().message(), HasSubstr("/missing: No such file"));
  const absl::StatusOr<std::string> directory = ReadWholeFile(dir.path());
  EXPECT_THAT(directory, StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_THAT(directory.status().message(), HasSubstr("Is a directory"));
}

TEST(WholeFileTest, ErrnoValuesMapToTheCodesCallersActOn) {
  EXPECT_THAT(FileError("f", ENOENT), StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(FileError("f", EACCES),
              StatusIs(absl::StatusCode::kPermissionDenied));
  EXPECT_THAT(FileError("f", EROFS),
              StatusIs(absl::StatusCode::kPermissionDenied));
  EXPECT_THAT(FileError("f", ENOSPC),
              StatusIs(absl::StatusCode::kResourceExhausted));
  EXPECT_THAT(FileError("f", EDQUOT),
              StatusIs(absl::StatusCode::kResourceExhausted));
  EXPECT_THAT(FileError("f", EMFILE),
              StatusIs(absl::StatusCode::kResourceExhausted));
  EXPECT_THAT(FileError("f", EIO), StatusIs(absl::StatusCode::kUnavailable));
  EXPECT_THAT(FileError("dir/f", ENOSPC).message(),
              HasSubstr("dir/f: No space left on device"));
}

TEST(WholeFileTest, CreateLeavesAnExistingFileAsItIs) {
  testing::TempDir dir;
  const std::string path = dir.path() + "/secret";
  ASSERT_THAT(CreateFileAtomically(path, "first", 0600), IsOk());
  EXPECT_THAT(CreateFileAtomically(path, "second", 0600),
              StatusIs(absl::StatusCode::kAlreadyExists));
  absl::StatusOr<std::string> kept = ReadWholeFile(path);
  ASSERT_THAT(kept, IsOk());
  EXPECT_EQ(*kept, "first");
  // Neither call leaves its temporary file behind.
  int files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir.path())) {
    ++files;
    EXPECT_EQ(entry.path().filename(), "secret");
  }
  EXPECT_EQ(files, 1);
}

TEST(WholeFileTest, WritingIntoAMissingDirectoryIsNotFound) {
  testing::TempDir dir;
  EXPECT_THAT(WriteFileAtomically(dir.path() + "/no/such/file", "x"),
              StatusIs(absl::StatusCode::kNotFound));
}

}  // namespace
}  // namespace content
