#include "tests/support/temp_dir.h"

#include <stdlib.h>

#include <filesystem>
#include <system_error>

#include "gtest/gtest.h"

namespace content::testing {

TempDir::TempDir() {
  std::string pattern = ::testing::TempDir() + "content-XXXXXX";
  if (mkdtemp(pattern.data()) == nullptr) {
    ADD_FAILURE() << "mkdtemp failed for " << pattern;
  }
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

}  // namespace content::testing
