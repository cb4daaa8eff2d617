// Hostile or unlucky peers against the real content-server binary: what one
// peer can make the server spend stays bounded, and the server keeps
// answering everyone else. Each test prints the figure it measured.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <fstream>
#include <iostream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "client/article_client.h"
#include "content/v1/article_service.grpc.pb.h"
#include "gmock/gmock.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/client_context.h"
#include "grpcpp/completion_queue.h"
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

// Median of `samples` (sorted in place).
absl::Duration Median(std::vector<absl::Duration>& samples) {
  std::sort(samples.begin(), samples.end());
  return samples[samples.size() / 2];
}

// Median latency of `count` puts of distinct small articles.
absl::Duration PutLatency(ArticleClient& client, const std::string& prefix,
                          int count) {
  std::vector<absl::Duration> samples;
  for (int i = 0; i < count; ++i) {
    const absl::Time start = absl::Now();
    EXPECT_TRUE(client.PutArticle(Small(absl::StrCat(prefix, i))).ok());
    samples.push_back(absl::Now() - start);
  }
  return Median(samples);
}

// Open WatchArticles streams over `channels` connections, each reading
// whatever comes until it is cancelled: a tenth of them unfiltered, the
// others filtered on topic AI.
class OpenWatches {
 public:
  OpenWatches(const std::string& address, int watches, int channels) {
    for (int c = 0; c < channels; ++c) {
      grpc::ChannelArguments arguments;
      arguments.SetInt("content.test.channel", c);  // one connection each
      stubs_.push_back(v1::ArticleService::NewStub(grpc::CreateCustomChannel(
          address, grpc::InsecureChannelCredentials(), arguments)));
    }
    for (int i = 0; i < watches; ++i) {
      auto watch = std::make_unique<Watch>();
      v1::WatchArticlesRequest request;
      // Every tenth sees every change; the others watch a topic the
      // test's puts do not have.
      request.set_filter(i % 10 == 0 ? "" : "topics:AI");
      watch->reader = stubs_[i % channels]->PrepareAsyncWatchArticles(
          &watch->context, request, &queue_);
      watch->reader->StartCall(watch.get());
      watches_.push_back(std::move(watch));
    }
    reader_ = std::thread([this] {
      void* tag = nullptr;
      bool ok = false;
      while (queue_.Next(&tag, &ok)) {
        Watch* watch = static_cast<Watch*>(tag);
        if (!ok) continue;  // ended: cancelled at the end of the test
        if (watch->messages++ == 0) first_messages_.fetch_add(1);
        absl::MutexLock lock(&mu_);
        if (!stopping_) watch->reader->Read(&watch->response, watch);
      }
    });
  }

  ~OpenWatches() {
    {
      absl::MutexLock lock(&mu_);
      stopping_ = true;
    }
    for (auto& watch : watches_) watch->context.TryCancel();
    queue_.Shutdown();
    reader_.join();
  }

  // Waits until every watch had its first message, at most `timeout`.
  bool AllStarted(absl::Duration timeout) {
    const absl::Time end = absl::Now() + timeout;
    while (first_messages_.load() < static_cast<int>(watches_.size())) {
      if (absl::Now() > end) return false;
      absl::SleepFor(absl::Milliseconds(50));
    }
    return true;
  }

 private:
  struct Watch {
    grpc::ClientContext context;
    std::unique_ptr<grpc::ClientAsyncReader<v1::WatchArticlesResponse>> reader;
    v1::WatchArticlesResponse response;
    int messages = 0;
  };

  std::vector<std::unique_ptr<v1::ArticleService::Stub>> stubs_;
  std::vector<std::unique_ptr<Watch>> watches_;
  grpc::CompletionQueue queue_;
  absl::Mutex mu_;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;  // no new reads once set
  std::atomic<int> first_messages_{0};
  std::thread reader_;
};

TEST(HostilePeerTest, TenThousandWatchesCostNoThreadsAndBarelySlowPuts) {
  constexpr int kWatches = 10000;
  testing::TempDir data;
  testing::ServerProcess server(data.path(), {"--max_concurrent_streams=1000"});
  ASSERT_TRUE(server.started());
  ArticleClient client(CreateArticleChannel(server.address()));
  const absl::Duration alone = PutLatency(client, "https://a.example/u", 100);
  const int64_t threads_before = ProcStatus(server.pid(), "Threads");

  OpenWatches watches(server.address(), kWatches, kWatches / 1000);
  ASSERT_TRUE(watches.AllStarted(absl::Seconds(60)));
  const int64_t threads_watching = ProcStatus(server.pid(), "Threads");
  const absl::Duration watched = PutLatency(client, "https://a.example/w", 100);

  std::cout << kWatches << " open watches (" << kWatches / 10
            << " receiving every put): server threads " << threads_before
            << " -> " << threads_watching << ", put p50 "
            << absl::FormatDuration(alone) << " -> "
            << absl::FormatDuration(watched) << ", peak RSS "
            << ProcStatus(server.pid(), "VmHWM") / 1024 << " MiB\n";
  EXPECT_LE(threads_watching, threads_before + 8);
  // Before: 1,000 watches took put p50 from 0.85 to 46-69 ms. Here the
  // readers share the 2 cores, so the bound leaves room for noise.
  EXPECT_LE(watched, 4 * alone + absl::Milliseconds(10));
}

// Health.Check latency on a fresh connection, or a very long duration if
// it does not answer SERVING within `timeout`.
absl::Duration HealthLatency(const std::string& address,
                             absl::Duration timeout) {
  auto stub = grpc::health::v1::Health::NewStub(CreateArticleChannel(address));
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + timeout));
  grpc::health::v1::HealthCheckResponse response;
  const absl::Time start = absl::Now();
  const grpc::Status status = stub->Check(&context, {}, &response);
  if (!status.ok()) return absl::InfiniteDuration();
  return absl::Now() - start;
}

// A hand-made HTTP/2 client for the rapid-reset pattern (CVE-2023-44487):
// on one connection, each stream is opened with HEADERS and a request and
// reset at once with RST_STREAM, faster than any server can serve it.
class RapidResetClient {
 public:
  explicit RapidResetClient(const std::string& address) {
    const size_t colon = address.rfind(':');
    sockaddr_in peer{};
    peer.sin_family = AF_INET;
    peer.sin_port =
        htons(static_cast<uint16_t>(std::stoi(address.substr(colon + 1))));
    inet_pton(AF_INET, address.substr(0, colon).c_str(), &peer.sin_addr);
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    connected_ =
        connect(fd_, reinterpret_cast<sockaddr*>(&peer), sizeof(peer)) == 0;
    authority_ = address;
    Send("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n" + Frame(4, 0, 0, ""));
    reader_ = std::thread([this] { Drain(); });
  }

  ~RapidResetClient() {
    shutdown(fd_, SHUT_RDWR);
    reader_.join();
    close(fd_);
  }

  bool connected() const { return connected_; }

  // Opens and resets `count` PutArticle streams carrying `request`.
  void Flood(int count, const std::string& request) {
    std::string grpc_frame(5, '\0');
    const uint32_t length = static_cast<uint32_t>(request.size());
    for (int i = 0; i < 4; ++i) grpc_frame[1 + i] = length >> (24 - 8 * i);
    grpc_frame += request;
    std::string burst;
    for (int i = 0; i < count; ++i, next_stream_ += 2) {
      burst += Frame(1, 0x4, next_stream_, Headers());   // END_HEADERS
      burst += Frame(0, 0x1, next_stream_, grpc_frame);  // END_STREAM
      burst += Frame(3, 0, next_stream_, std::string("\0\0\0\x08", 4));
    }
    Send(burst);
  }

 private:
  static std::string Frame(uint8_t type, uint8_t flags, uint32_t stream,
                           const std::string& payload) {
    std::string frame;
    const uint32_t length = static_cast<uint32_t>(payload.size());
    frame += static_cast<char>(length >> 16);
    frame += static_cast<char>(length >> 8);
    frame += static_cast<char>(length);
    frame += static_cast<char>(type);
    frame += static_cast<char>(flags);
    for (int i = 0; i < 4; ++i)
      frame += static_cast<char>(stream >> (24 - 8 * i));
    return frame + payload;
  }

  // HPACK literals without indexing, without Huffman coding (RFC 7541 6.2.2).
  std::string Headers() const {
    std::string block;
    for (const auto& [name, value] :
         std::vector<std::pair<std::string, std::string>>{
             {":method", "POST"},
             {":scheme", "http"},
             {":path", "/content.v1.ArticleService/PutArticle"},
             {":authority", authority_},
             {"content-type", "application/grpc"},
             {"te", "trailers"}}) {
      block += '\0';
      block += static_cast<char>(name.size());
      block += name;
      block += static_cast<char>(value.size());
      block += value;
    }
    return block;
  }

  void Send(const std::string& bytes) {
    absl::MutexLock lock(&write_mu_);
    size_t sent = 0;
    while (sent < bytes.size()) {
      const ssize_t n =
          send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) return;
      sent += static_cast<size_t>(n);
    }
  }

  // Reads and drops what the server sends, acknowledging its SETTINGS.
  void Drain() {
    std::string buffer;
    char chunk[65536];
    for (;;) {
      const ssize_t n = recv(fd_, chunk, sizeof(chunk), 0);
      if (n <= 0) return;
      buffer.append(chunk, static_cast<size_t>(n));
      while (buffer.size() >= 9) {
        const size_t length = (static_cast<uint8_t>(buffer[0]) << 16) |
                              (static_cast<uint8_t>(buffer[1]) << 8) |
                              static_cast<uint8_t>(buffer[2]);
        if (buffer.size() < 9 + length) break;
        if (buffer[3] == 4 && (buffer[4] & 1) == 0) Send(Frame(4, 1, 0, ""));
        buffer.erase(0, 9 + length);
      }
    }
  }

  int fd_ = -1;
  bool connected_ = false;
  std::string authority_;
  uint32_t next_stream_ = 1;
  absl::Mutex write_mu_;
  std::thread reader_;
};

TEST(HostilePeerTest, ARapidResetFloodCostsBoundedThreadsAndNoLogFlood) {
  testing::TempDir data;
  testing::ServerProcess server(data.path());
  ASSERT_TRUE(server.started());
  v1::PutArticleRequest request;
  *request.mutable_article() = Small("https://a.example/reset");
  const std::string request_bytes = request.SerializeAsString();

  int64_t peak_threads = 0;
  int streams = 0;
  std::vector<absl::Duration> health;
  {
    RapidResetClient flood(server.address());
    ASSERT_TRUE(flood.connected());
    const absl::Time end = absl::Now() + absl::Seconds(5);
    while (absl::Now() < end && streams < 100000) {
      flood.Flood(500, request_bytes);
      streams += 500;
      peak_threads =
          std::max(peak_threads, ProcStatus(server.pid(), "Threads"));

      if (streams % 5000 == 0) {
        health.push_back(HealthLatency(server.address(), absl::Seconds(30)));
      }
    }
  }
  absl::SleepFor(absl::Seconds(1));
  health.push_back(HealthLatency(server.address(), absl::Seconds(30)));
  const int64_t rss_kib = ProcStatus(server.pid(), "VmHWM");
  ASSERT_EQ(server.Stop(SIGTERM), 0);
  const std::string& log = server.log();
  const size_t log_lines = std::count(log.begin(), log.end(), '\n');
  std::cout << streams << " streams opened and reset in 5 s on one "
            << "connection: server threads peak " << peak_threads
            << ", peak RSS " << rss_kib / 1024 << " MiB, health p50 "
            << absl::FormatDuration(Median(health)) << ", max "
            << absl::FormatDuration(
                   *std::max_element(health.begin(), health.end()))
            << ", log lines " << log_lines << "\n";
  EXPECT_LE(peak_threads, 150);  // max_threads 64 and the fixed rest
  EXPECT_LT(Median(health), absl::Seconds(1));
  EXPECT_LT(log_lines, 100u);
}

TEST(HostilePeerTest, CostlyListsDoNotHoldUpHealthChecksAndGets) {
  testing::TempDir data;
  testing::ServerProcess server(data.path());
  ASSERT_TRUE(server.started());
  ArticleClient client(CreateArticleChannel(server.address()));
  std::unique_ptr<ArticleImporter> importer = client.StartImport(1000);
  for (int i = 0; i < 5000; ++i) {
    v1::Article article = Small(absl::StrCat("https://a.example/", i));
    article.set_quality(i % 5);
    article.set_excerpt(std::string(4000, 'e'));
    ASSERT_TRUE(importer->Add(std::move(article)).ok());
  }
  ASSERT_TRUE(importer->Finish().ok());

  const auto sample = [&](std::vector<absl::Duration>* health,
                          std::vector<absl::Duration>* gets) {
    for (int i = 0; i < 20; ++i) {
      health->push_back(HealthLatency(server.address(), absl::Seconds(30)));
      const absl::Time start = absl::Now();
      EXPECT_TRUE(
          client.GetArticle(absl::StrCat("https://a.example/", i)).ok());
      gets->push_back(absl::Now() - start);
      absl::SleepFor(absl::Milliseconds(50));
    }
  };
  std::vector<absl::Duration> idle_health, idle_gets;
  sample(&idle_health, &idle_gets);

  // Eight clients loop a List that parses every article it reads (a range
  // on quality, sorted by time).
  std::atomic<bool> stop{false};
  std::atomic<int> lists{0};
  std::vector<std::thread> loaders;
  for (int i = 0; i < 8; ++i) {
    loaders.emplace_back([&] {
      ArticleClient loader(CreateArticleChannel(server.address()));
      while (!stop.load()) {
        loader.ListArticles(ListQuery{1000, "quality >= 4", ""}, "")
            .status()
            .IgnoreError();
        lists.fetch_add(1);
      }
    });
  }
  absl::SleepFor(absl::Milliseconds(500));
  std::vector<absl::Duration> busy_health, busy_gets;
  sample(&busy_health, &busy_gets);
  stop.store(true);
  for (std::thread& loader : loaders) loader.join();

  std::cout << "8 clients looping a costly List (" << lists.load()
            << " calls): health p50 "
            << absl::FormatDuration(Median(idle_health)) << " idle, "
            << absl::FormatDuration(Median(busy_health)) << " loaded; Get p50 "
            << absl::FormatDuration(Median(idle_gets)) << " idle, "
            << absl::FormatDuration(Median(busy_gets)) << " loaded\n";
  EXPECT_LT(Median(busy_health), absl::Milliseconds(50));
  EXPECT_LT(Median(busy_gets), absl::Milliseconds(50));
}

TEST(HostilePeerTest, TheListenerComesBackAfterDescriptorsRanOut) {
  testing::TempDir data;
  // 128 descriptors in all, so that a few hundred idle connections exhaust
  // them; gRPC 1.51 then stops accepting for good.
  testing::ServerProcess server(data.path(), {},
                                {"/usr/bin/prlimit", "--nofile=128:128", "--"});
  ASSERT_TRUE(server.started());
  const auto connect_idle = [&server] {
    const size_t colon = server.address().rfind(':');
    sockaddr_in peer{};
    peer.sin_family = AF_INET;
    peer.sin_port = htons(
        static_cast<uint16_t>(std::stoi(server.address().substr(colon + 1))));
    inet_pton(AF_INET, "127.0.0.1", &peer.sin_addr);
    const int fd = socket(AF_INET, SOCK_STREAM, 0);
    connect(fd, reinterpret_cast<sockaddr*>(&peer), sizeof(peer));
    return fd;
  };
  std::vector<int> idle;
  for (int i = 0; i < 200; ++i) idle.push_back(connect_idle());
  absl::SleepFor(absl::Seconds(1));
  for (const int fd : idle) close(fd);

  const absl::Time freed = absl::Now();
  bool serving = false;
  while (!serving && absl::Now() < freed + absl::Seconds(40)) {
    serving = HealthLatency(server.address(), absl::Seconds(1)) !=
              absl::InfiniteDuration();
  }
  std::cout << "200 idle connections at a limit of 128 descriptors: serving "
            << "again " << absl::FormatDuration(absl::Now() - freed)
            << " after they closed\n";
  EXPECT_TRUE(serving);
  ASSERT_EQ(server.Stop(SIGTERM), 0) << server.log();
  EXPECT_THAT(server.log(), HasSubstr("event=listener_restarted"));
}

}  // namespace
}  // namespace content
