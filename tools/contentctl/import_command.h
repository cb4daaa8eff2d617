#ifndef CONTENT_TOOLS_CONTENTCTL_IMPORT_COMMAND_H_
#define CONTENT_TOOLS_CONTENTCTL_IMPORT_COMMAND_H_

#include <ostream>
#include <string>
#include <vector>

#include "client/article_client.h"

namespace content {

struct ImportOptions {
  int batch_size = 500;   // articles per ImportArticles message
  int jobs = 2;           // parser threads
  bool progress = false;  // draw a progress line on `err`
};

// `contentctl import PATH...`: reads every file under `paths` (directories
// recursively, in name order) as an article document and streams the
// articles to the server in one ImportArticles call. Parsing runs on
// `jobs` threads, a bounded window of documents ahead of the stream, so
// memory does not grow with the number of files. Bad documents are named
// with their reason and skipped; nothing of them is stored.
//
// Prints a summary on `out`, each failure on `err`; returns kExitOk only if
// every document was stored.
int RunImport(ArticleClient& client, const std::vector<std::string>& paths,
              const ImportOptions& options, std::ostream& out,
              std::ostream& err);

}  // namespace content

#endif  // CONTENT_TOOLS_CONTENTCTL_IMPORT_COMMAND_H_
