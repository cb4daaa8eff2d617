#ifndef CONTENT_TOOLS_CONTENTCTL_CONTENTCTL_H_
#define CONTENT_TOOLS_CONTENTCTL_CONTENTCTL_H_

#include <ostream>

namespace content {

// The contentctl command line, as a function so tests can run it in-process:
//
//   contentctl [--server HOST:PORT] [--timeout SECONDS] COMMAND [ARGS]
//
// The commands (get, put, delete, update, list, referencing, watch, import,
// export, generate, health, verify, backup) are one table in contentctl.cc
// that drives parsing, the usage text (printed on any usage error) and
// dispatch. TLS with --tls_ca FILE|system [--tls_cert F --tls_key F]; a
// bearer token from --token_file, $CONTENT_TOKEN or --token. The token is
// never printed.
//
// Results go to `out`, errors to `err`. Returns the exit code: 0 on success,
// 1 when the server or a file says no, 2 for a usage error.
int RunContentctl(int argc, const char* const* argv, std::ostream& out,
                  std::ostream& err);

}  // namespace content

#endif  // CONTENT_TOOLS_CONTENTCTL_CONTENTCTL_H_
