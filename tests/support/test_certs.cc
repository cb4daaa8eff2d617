#include "tests/support/test_certs.h"

#include <fstream>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "tests/support/subprocess.h"

namespace content::testing {
namespace {

void Openssl(std::vector<std::string> args) {
  args.insert(args.begin(), "/usr/bin/openssl");
  const CommandResult result = RunCommand(args);
  ASSERT_EQ(result.exit_code, 0) << args[1] << ": " << result.err;
}

// A new P-256 key and a CA-signed certificate for `subject` with
// `extensions` (an openssl extension file's lines).
void MakeSigned(const std::string& dir, const std::string& name,
                const std::string& subject, const std::string& extensions) {
  const std::string base = absl::StrCat(dir, "/", name);
  std::ofstream(base + ".ext") << extensions;
  Openssl({"req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
           "-nodes", "-keyout", base + ".key", "-out", base + ".csr", "-subj",
           subject});
  Openssl({"x509", "-req", "-in", base + ".csr", "-CA", dir + "/ca.pem",
           "-CAkey", dir + "/ca.key", "-CAcreateserial", "-days", "2",
           "-extfile", base + ".ext", "-out", base + ".pem"});
}

void MakeCa(const std::string& dir, const std::string& name) {
  Openssl({"req", "-x509", "-newkey", "ec", "-pkeyopt",
           "ec_paramgen_curve:P-256", "-nodes", "-days", "2", "-subj",
           "/CN=" + name, "-keyout", dir + "/" + name + ".key", "-out",
           dir + "/" + name + ".pem"});
}

}  // namespace

TestCerts MakeTestCerts(const std::string& dir) {
  MakeCa(dir, "ca");
  MakeCa(dir, "other-ca");
  MakeSigned(dir, "server", "/CN=localhost",
             "subjectAltName=DNS:localhost,IP:127.0.0.1\n"
             "extendedKeyUsage=serverAuth\n");
  MakeSigned(dir, "client", "/CN=test-client", "extendedKeyUsage=clientAuth\n");
  return {dir + "/ca.pem",     dir + "/server.pem", dir + "/server.key",
          dir + "/client.pem", dir + "/client.key", dir + "/other-ca.pem"};
}

}  // namespace content::testing
