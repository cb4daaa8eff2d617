#ifndef CONTENT_TOOLS_CONTENTCTL_EXPORT_COMMAND_H_
#define CONTENT_TOOLS_CONTENTCTL_EXPORT_COMMAND_H_

#include <ostream>
#include <string>

#include "absl/strings/string_view.h"
#include "client/article_client.h"

namespace content {

// The file name an article is exported to: its URL without the scheme, with
// every character outside [A-Za-z0-9._-] made '-', cut to 100 bytes, then a
// hash of the whole URL (so distinct URLs never collide) and ".md". The same
// URL always gives the same name.
std::string DocumentFileName(absl::string_view web_url);

// `contentctl export --out DIR`: writes every article as a document into
// `dir` (created if missing), each file atomically (written to a temporary
// name, synced, renamed), so a reader never sees half a document.
int RunExport(ArticleClient& client, const std::string& dir, std::ostream& out,
              std::ostream& err);

}  // namespace content

#endif  // CONTENT_TOOLS_CONTENTCTL_EXPORT_COMMAND_H_
