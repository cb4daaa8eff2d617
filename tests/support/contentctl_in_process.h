#ifndef CONTENT_TESTS_SUPPORT_CONTENTCTL_IN_PROCESS_H_
#define CONTENT_TESTS_SUPPORT_CONTENTCTL_IN_PROCESS_H_

// For tests that link contentctl_lib: contentctl run in this process.

#include <sstream>
#include <string>
#include <vector>

#include "tests/support/subprocess.h"
#include "tools/contentctl/contentctl.h"

namespace content::testing {

// Runs `contentctl ARGS...` in this process and returns its exit code and
// output, as RunCommand does for a child process.
inline CommandResult RunContentctlInProcess(
    const std::vector<std::string>& args) {
  std::vector<const char*> argv = {"contentctl"};
  for (const std::string& arg : args) argv.push_back(arg.c_str());
  std::ostringstream out;
  std::ostringstream err;
  CommandResult result;
  result.exit_code =
      RunContentctl(static_cast<int>(argv.size()), argv.data(), out, err);
  result.out = out.str();
  result.err = err.str();
  return result;
}

}  // namespace content::testing

#endif  // CONTENT_TESTS_SUPPORT_CONTENTCTL_IN_PROCESS_H_
