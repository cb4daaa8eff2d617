#ifndef CONTENT_TESTS_SUPPORT_TEST_SERVER_H_
#define CONTENT_TESTS_SUPPORT_TEST_SERVER_H_

#include <memory>
#include <string>

#include "content/v1/article.pb.h"
#include "service/content_server.h"
#include "tests/support/temp_dir.h"
#include "tests/support/test_data.h"

namespace content::testing {

// A configuration for a server in this process: data in `data_dir`, a free
// loopback port, no metrics endpoint.
ServerConfig LoopbackConfig(const std::string& data_dir);

// A ContentServer in this process on a free loopback port, with its data in
// a fresh temporary directory.
class TestServer {
 public:
  // `config.data_dir` and `config.listen` are overwritten; metrics, unless
  // turned off, are served on a free port.
  explicit TestServer(ServerConfig config = {});

  ContentServer& server() { return *server_; }
  const std::string& address() const { return server_->address(); }

 private:
  TempDir dir_;
  std::unique_ptr<ContentServer> server_;
};

}  // namespace content::testing

#endif  // CONTENT_TESTS_SUPPORT_TEST_SERVER_H_
