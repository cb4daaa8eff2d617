#ifndef CONTENT_TESTS_SUPPORT_TEMP_DIR_H_
#define CONTENT_TESTS_SUPPORT_TEMP_DIR_H_

#include <string>

namespace content::testing {

// A fresh directory under ::testing::TempDir(), removed with its contents
// when the object goes away.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace content::testing

#endif  // CONTENT_TESTS_SUPPORT_TEMP_DIR_H_
