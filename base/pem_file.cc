#include "base/pem_file.h"

#include "absl/strings/str_cat.h"
#include "base/whole_file.h"

namespace content {

absl::StatusOr<std::string> ReadPemFile(const std::string& path,
                                        absl::string_view what) {
  absl::StatusOr<std::string> text = ReadWholeFile(path);
  if (!text.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(
        what, ": ", path, " cannot be read (", text.status().message(), ")"));
  }
  if (text->find("-----BEGIN ") == std::string::npos) {
    return absl::InvalidArgumentError(
        absl::StrCat(what, ": ", path, " holds no PEM block"));
  }
  return text;
}

}  // namespace content
