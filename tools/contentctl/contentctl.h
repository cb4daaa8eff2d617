#ifndef CONTENT_TOOLS_CONTENTCTL_CONTENTCTL_H_
#define CONTENT_TOOLS_CONTENTCTL_CONTENTCTL_H_

#include <ostream>

namespace content {

// The contentctl command line, as a function so tests can run it in-process:
//
//   contentctl [--server HOST:PORT] [--timeout SECONDS] COMMAND [ARGS]
//     get URL [--output yaml] print the article as proto3 JSON or a document
//     put FILE.json           store the article in FILE (proto3 JSON)
//     delete URL [--etag E]   delete the article
//     list [--page_size N]    print every article, one JSON line each
//     import PATH...          store documents (files, directories)
//     export --out DIR        write every article as a document
//     generate --count N --out DIR [--seed S]   synthetic documents
//     health                  SERVING or not
//     verify                  check the store's consistency (admin role)
//     backup DIR              write an online backup into DIR (admin role)
//
// TLS with --tls_ca FILE|system [--tls_cert F --tls_key F]; a bearer token
// from --token_file, $CONTENT_TOKEN or --token. The token is never printed.
//
// Results go to `out`, errors to `err`. Returns the exit code: 0 on success,
// 1 when the server or a file says no, 2 for a usage error.
int RunContentctl(int argc, const char* const* argv, std::ostream& out,
                  std::ostream& err);

}  // namespace content

#endif  // CONTENT_TOOLS_CONTENTCTL_CONTENTCTL_H_
