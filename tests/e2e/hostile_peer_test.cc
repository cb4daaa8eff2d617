// Hostile or unlucky peers against the real content-server binary: what one
// peer can make the server spend stays bounded, and the server keeps
// answering everyone else. Each test prints the figure it measured.

#include <sys/types.h>

#include <fstream>
#include <iostream>
#include <string>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "client/article_client.h"
#include "content/v1/article_service.grpc.pb.h"
#include "gmock/gmock.h"
#include "grpcpp/client_context.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "gtest/gtest.h"
#include "tests/support/subprocess.h"
#include "tests/support/temp_dir.h"

namespace content {
namespace {

using ::testing::HasSubstr;

// A /proc/PID/status value in KiB, e.g. "VmHWM" (peak RSS) or "Threads"
// (a count); -1 if absent.
int64_t ProcStatus(pid_t pid, const std::string& key) {
  std::ifstream in(absl::StrCat("/proc/", pid, "/status"));
  std::string line;
  while (std::getline(in, line)) {
    absl::string_view rest = line;
    if (!absl::ConsumePrefix(&rest, key + ":")) continue;
    rest = absl::StripAsciiWhitespace(rest);
    absl::ConsumeSuffix(&rest, " kB");
    int64_t value = 0;
    return absl::SimpleAtoi(rest, &value) ? value : -1;
  }
  return -1;
}

v1::Article Small(const std::string& url) {
  v1::Article article;
  article.set_web_url(url);
  article.set_title("Fine");
  return article;
}

TEST(HostilePeerTest, ACompressionBombIsRefusedBeforeItIsInflated) {
  testing::TempDir data;
  testing::ServerProcess server(data.path());
  ASSERT_TRUE(server.started());
  ArticleClient client(CreateArticleChannel(server.address()));
  ASSERT_TRUE(client.PutArticle(Small("https://a.example/warm")).ok());
  const int64_t before_kib = ProcStatus(server.pid(), "VmHWM");

  // 256 MiB of one byte: about 256 KiB once gzip-compressed.
  grpc::ChannelArguments arguments;
  arguments.SetCompressionAlgorithm(GRPC_COMPRESS_GZIP);
  arguments.SetMaxSendMessageSize(-1);
  auto stub = v1::ArticleService::NewStub(grpc::CreateCustomChannel(
      server.address(), grpc::InsecureChannelCredentials(), arguments));
  v1::PutArticleRequest request;
  *request.mutable_article() = Small("https://a.example/bomb");
  request.mutable_article()->set_body(std::string(256 << 20, 'b'));
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::seconds(60));
  v1::PutArticleResponse response;
  const grpc::Status status = stub->PutArticle(&context, request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNIMPLEMENTED)
      << status.error_message();
  EXPECT_THAT(status.error_message(), HasSubstr("gzip"));

  const int64_t after_kib = ProcStatus(server.pid(), "VmHWM");
  std::cout << "gzip bomb of 256 MiB: server peak RSS " << before_kib / 1024
            << " MiB before, " << after_kib / 1024 << " MiB after\n";
  EXPECT_LT(after_kib - before_kib, 64 << 10);  // KiB: far below 256 MiB
  EXPECT_TRUE(client.PutArticle(Small("https://a.example/after")).ok());
}

}  // namespace
}  // namespace content
