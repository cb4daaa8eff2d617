#ifndef CONTENT_TESTS_SUPPORT_TEST_CERTS_H_
#define CONTENT_TESTS_SUPPORT_TEST_CERTS_H_

#include <string>

namespace content::testing {

// Paths of PEM files made for one test.
struct TestCerts {
  std::string ca_cert;
  std::string server_cert;  // for DNS:localhost and IP:127.0.0.1
  std::string server_key;
  std::string client_cert;  // signed by the same CA, for mutual TLS
  std::string client_key;
  std::string other_ca_cert;  // a CA that signed nothing here
};

// Makes a throwaway CA and certificates (P-256, valid 2 days) in `dir` with
// the openssl command. Fails the test if openssl fails.
TestCerts MakeTestCerts(const std::string& dir);

}  // namespace content::testing

#endif  // CONTENT_TESTS_SUPPORT_TEST_CERTS_H_
