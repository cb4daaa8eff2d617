#include "base/pem_file.h"

#include <utility>

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

absl::StatusOr<ClientTlsPem> ReadClientTlsFiles(const ClientTlsFiles& files) {
  if (files.cert.path.empty() != files.key.path.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(files.cert.what, " and ", files.key.what, " go together"));
  }
  ClientTlsPem pem;
  const std::pair<const ClientTlsFiles::File*, std::string*> reads[] = {
      {&files.ca, &pem.roots},
      {&files.cert, &pem.cert_chain},
      {&files.key, &pem.private_key}};
  for (const auto& [file, text] : reads) {
    if (file->path.empty()) continue;
    absl::StatusOr<std::string> read = ReadPemFile(file->path, file->what);
    if (!read.ok()) return read.status();
    *text = std::move(*read);
  }
  return pem;
}

}  // namespace content
