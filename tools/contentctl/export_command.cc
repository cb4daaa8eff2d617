#include "tools/contentctl/export_command.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <system_error>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "base/whole_file.h"
#include "document/article_document.h"
#include "tools/contentctl/cli_output.h"

namespace content {
namespace {

// FNV-1a: small, stable across platforms and runs (unlike std::hash).
uint64_t Fnv1a(absl::string_view text) {
  uint64_t hash = 0xcbf29ce484222325ULL;
  for (unsigned char c : text) {
    hash ^= c;
    hash *= 0x100000001b3ULL;
  }
  return hash;
}

}  // namespace

std::string DocumentFileName(absl::string_view web_url) {
  absl::string_view rest = web_url;
  if (const size_t scheme = rest.find("://");
      scheme != absl::string_view::npos) {
    rest.remove_prefix(scheme + 3);
  }
  std::string name;
  for (char c : rest.substr(0, 100)) {
    const bool safe =
        absl::ascii_isalnum(c) || c == '.' || c == '_' || c == '-';
    name.push_back(safe ? c : '-');
  }
  absl::StrAppendFormat(&name, "-%016x.md", Fnv1a(web_url));
  return name;
}

int RunExport(ArticleClient& client, const std::string& dir, std::ostream& out,
              std::ostream& err) {
  std::error_code error;
  std::filesystem::create_directories(dir, error);
  if (error) {
    err << "contentctl: " << dir << ": " << error.message() << "\n";
    return kExitFailed;
  }
  size_t count = 0;
  ArticlePager pager = client.ListAllArticles(
      {/*page_size=*/500, /*filter=*/"", /*order_by=*/""});
  while (pager.HasNext()) {
    absl::StatusOr<std::vector<v1::Article>> page = pager.NextPage();
    if (!page.ok()) return ReportFailure(page.status(), err);
    for (const v1::Article& article : *page) {
      const std::string path =
          (std::filesystem::path(dir) / DocumentFileName(article.web_url()))
              .string();
      const absl::Status status =
          WriteFileAtomically(path, FormatArticleDocument(article));
      if (!status.ok()) {
        err << "contentctl: " << status.message() << "\n";
        return kExitFailed;
      }
      ++count;
    }
  }
  out << "exported " << count << " articles to " << dir << "\n";
  return kExitOk;
}

}  // namespace content
