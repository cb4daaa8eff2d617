// content-load: the load generator of bench/run.sh. Drives one scenario
// against a content server (or etcd, or the store alone) and prints one row
// of a Markdown table; see docs/benchmarks.md.
//
//   content-load --scenario get --target 127.0.0.1:50051 --corpus 100000
//                (--concurrency 32 | --rate 5000) [--seconds 10]

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <map>
#include <memory>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/strip.h"
#include "base/mutex_mode.h"
#include "bench/latency_log.h"
#include "bench/load_driver.h"
#include "client/article_channel.h"
#include "content/v1/article_service.grpc.pb.h"
#include "document/corpus_generator.h"
#include "google/protobuf/util/json_util.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/client_context.h"
#include "grpcpp/generic/generic_stub.h"
#include "service/article_validator.h"
#include "storage/kv_article_store.h"
#include "storage/rocksdb/rocksdb_engine.h"
#include "url/canonical_url.h"

namespace content::bench {
namespace {

constexpr uint64_t kCorpusSeed = 42;
constexpr int kPutPool = 10000;  // distinct articles cycled through by puts
constexpr size_t kEtcdValueBytes = 3000;  // about one stored article

struct Options {
  std::string scenario;
  std::string target = "127.0.0.1:50051";
  std::string data_dir;  // store_* scenarios
  uint64_t corpus = 100000;
  int concurrency = 32;
  double rate = 0;  // > 0: open loop
  double seconds = 10;
  int server_pid = 0;  // > 0: report its CPU time per call
  // Reads ask a replica (replicated mode) for its local state.
  bool local_reads = false;
};

// CPU seconds (user + system) that process `pid` has used.
double CpuSeconds(int pid) {
  std::ifstream in(absl::StrCat("/proc/", pid, "/stat"));
  std::string line;
  std::getline(in, line);
  // Fields after the command name, which is in parentheses: state is the
  // 3rd field of the whole line, utime the 14th and stime the 15th.
  std::istringstream fields(line.substr(line.rfind(')') + 2));
  std::vector<std::string> words{std::istream_iterator<std::string>(fields),
                                 std::istream_iterator<std::string>()};
  if (words.size() < 13) return 0;
  return (std::stod(words[11]) + std::stod(words[12])) / sysconf(_SC_CLK_TCK);
}

[[noreturn]] void Fail(const std::string& message) {
  std::fprintf(stderr, "content-load: %s\n", message.c_str());
  std::exit(2);
}

Options ParseOptions(int argc, char** argv) {
  Options options;
  for (int i = 1; i < argc; ++i) {
    absl::string_view arg = argv[i];
    if (!absl::ConsumePrefix(&arg, "--") || i + 1 >= argc) {
      Fail(absl::StrCat("expected --name value, got ", argv[i]));
    }
    const std::string value = argv[++i];
    bool ok = true;
    if (arg == "scenario") {
      options.scenario = value;
    } else if (arg == "target") {
      options.target = value;
    } else if (arg == "data_dir") {
      options.data_dir = value;
    } else if (arg == "corpus") {
      ok = absl::SimpleAtoi(value, &options.corpus) && options.corpus > 0;
    } else if (arg == "concurrency") {
      ok = absl::SimpleAtoi(value, &options.concurrency) &&
           options.concurrency > 0;
    } else if (arg == "rate") {
      ok = absl::SimpleAtod(value, &options.rate) && options.rate > 0;
    } else if (arg == "server_pid") {
      ok = absl::SimpleAtoi(value, &options.server_pid) &&
           options.server_pid > 0;
    } else if (arg == "read_consistency") {
      ok = value == "local" || value == "default";
      options.local_reads = value == "local";
    } else if (arg == "seconds") {
      ok = absl::SimpleAtod(value, &options.seconds) && options.seconds > 0;
    } else {
      Fail(absl::StrCat("unknown flag --", arg));
    }
    if (!ok) Fail(absl::StrCat("bad value for --", arg, ": ", value));
  }
  if (options.scenario.empty()) Fail("--scenario is required");
  return options;
}

// A request and response that live until the call ends.
template <typename Request, typename Response>
struct Call {
  grpc::ClientContext context;
  Request request;
  Response response;

  Call() {
    context.set_deadline(std::chrono::system_clock::now() +
                         std::chrono::seconds(10));
  }
};

// Finishes `call` (deleting it) and reports to `done`.
template <typename CallType>
std::function<void(grpc::Status)> Finish(CallType* call,
                                         std::function<void(bool)> done) {
  return [call, done = std::move(done)](grpc::Status status) {
    delete call;
    done(status.ok());
  };
}

// The corpus's URLs, in index order.
std::vector<std::string> CorpusUrls(uint64_t count) {
  const CorpusGenerator generator(kCorpusSeed);
  std::vector<std::string> urls;
  urls.reserve(count);
  for (uint64_t i = 0; i < count; ++i) {
    urls.push_back(generator.Article(i).web_url());
  }
  return urls;
}

// Random indexes into the corpus, the same sequence in every run.
class Picker {
 public:
  explicit Picker(uint64_t size) : size_(size) {}
  uint64_t Next() {
    std::lock_guard<std::mutex> lock(mu_);
    return random_() % size_;
  }

 private:
  const uint64_t size_;
  std::mutex mu_;
  std::mt19937_64 random_{7};
};

// Article pages: tokens for pages all over the listing, collected first.
std::vector<std::string> PageTokens(v1::ArticleService::Stub* stub) {
  std::vector<std::string> tokens = {""};
  for (int page = 0; page < 1000; ++page) {
    grpc::ClientContext context;
    v1::ListArticlesRequest request;
    request.set_page_size(50);
    request.set_page_token(tokens.back());
    v1::ListArticlesResponse response;
    if (!stub->ListArticles(&context, request, &response).ok()) break;
    if (response.next_page_token().empty()) break;
    tokens.push_back(response.next_page_token());
  }
  return tokens;
}

// A protobuf length-delimited field, for etcd's requests without its
// .proto files: RangeRequest{key=1}, PutRequest{key=1, value=2}.
std::string Field(int number, const std::string& bytes) {
  std::string out;
  for (uint64_t value : {static_cast<uint64_t>(number) << 3 | 2,
                         static_cast<uint64_t>(bytes.size())}) {
    for (; value >= 0x80; value >>= 7) {
      out.push_back(static_cast<char>((value & 0x7f) | 0x80));
    }
    out.push_back(static_cast<char>(value));
  }
  return out + bytes;
}

// An etcd Range, or a Put of `values[i % values.size()]` for call i.
AsyncCall EtcdCall(std::shared_ptr<grpc::Channel> channel, bool put,
                   Picker* picker,
                   std::vector<std::string> values = {
                       std::string(kEtcdValueBytes, 'v')}) {
  auto stub = std::make_shared<grpc::GenericStub>(channel);
  return [stub, put, picker, values = std::move(values)](
             uint64_t i, std::function<void(bool)> done) {
    const std::string& value = values[i % values.size()];
    struct EtcdCall {
      grpc::ClientContext context;
      grpc::ByteBuffer request;
      grpc::ByteBuffer response;
    };
    auto* call = new EtcdCall;
    const std::string key = absl::StrCat("/content/", picker->Next());
    const std::string bytes =
        put ? Field(1, key) + Field(2, value) : Field(1, key);
    grpc::Slice slice(bytes);
    call->request = grpc::ByteBuffer(&slice, 1);
    call->context.set_deadline(std::chrono::system_clock::now() +
                               std::chrono::seconds(10));
    stub->UnaryCall(&call->context,
                    put ? "/etcdserverpb.KV/Put" : "/etcdserverpb.KV/Range",
                    grpc::StubOptions(), &call->request, &call->response,
                    Finish(call, std::move(done)));
  };
}

// The mutation the service makes of a put of `article`.
ArticleMutation ValidatedPut(v1::Article article,
                             const UrlCanonicalizer& canonicalizer) {
  ArticleKeys keys;
  if (!ValidateArticle(article, "article", canonicalizer, ArticleLimits(),
                       &keys)
           .empty()) {
    Fail(absl::StrCat("generated article ", article.web_url(), " is invalid"));
  }
  return PutMutation(std::move(article), std::move(keys));
}

// The store at `data_dir`, in this process, on the engine the server uses.
struct LocalStore {
  std::unique_ptr<RocksDbEngine> engine;
  std::unique_ptr<KvArticleStore> store;

  KvArticleStore* operator->() const { return store.get(); }
};

LocalStore OpenLocalStore(const std::string& data_dir, bool durable_writes) {
  RocksDbOptions options;
  options.path = data_dir;
  options.durable_writes = durable_writes;
  absl::StatusOr<std::unique_ptr<RocksDbEngine>> engine =
      RocksDbEngine::Open(options);
  if (!engine.ok()) Fail(engine.status().ToString());
  absl::StatusOr<std::unique_ptr<KvArticleStore>> store =
      KvArticleStore::Open(engine->get());
  if (!store.ok()) Fail(store.status().ToString());
  return {std::move(*engine), std::move(*store)};
}

// Writes the whole corpus straight into the store at `data_dir` (before a
// server opens it), in batches; the fastest way to a large store.
void LoadStore(const Options& options) {
  const LocalStore store =
      OpenLocalStore(options.data_dir, /*durable_writes=*/false);
  const CorpusGenerator generator(kCorpusSeed);
  const UrlCanonicalizer canonicalizer;
  std::vector<ArticleMutation> batch;
  for (uint64_t i = 0; i < options.corpus; ++i) {
    batch.push_back(ValidatedPut(generator.Article(i), canonicalizer));
    if (batch.size() == 1000 || i + 1 == options.corpus) {
      absl::Status status = store->Write(std::move(batch)).status();
      if (!status.ok()) Fail(status.ToString());
      batch.clear();
    }
  }
  // A bulk load leaves many level-0 files; compact now so that measurements
  // see the steady state, not a compaction in progress.
  absl::Status compacted = store.engine->CompactAll();
  if (!compacted.ok()) Fail(compacted.ToString());
  std::printf("loaded %llu articles\n",
              static_cast<unsigned long long>(options.corpus));
}

// The size of the corpus as proto3 JSON, in MB, from a 1% sample (every
// 100th article; at least 1,000).
void PrintCorpusJsonMb(const Options& options) {
  const CorpusGenerator generator(kCorpusSeed);
  const uint64_t step = options.corpus >= 100000 ? 100 : 1;
  uint64_t bytes = 0;
  uint64_t sampled = 0;
  for (uint64_t i = 0; i < options.corpus; i += step, ++sampled) {
    std::string json;
    (void)google::protobuf::util::MessageToJsonString(generator.Article(i),
                                                      &json);
    bytes += json.size();
  }
  std::printf(
      "%.0f\n",
      bytes * (static_cast<double>(options.corpus) / sampled) / (1 << 20));
}

// "open R/s" or "closed C": how the scenario loads the server.
std::string LoadLabel(const Options& options) {
  return options.rate > 0 ? absl::StrCat("open ", options.rate, "/s")
                          : absl::StrCat("closed ", options.concurrency);
}

// store_get, store_put: the store alone, in this process, no RPC.
void RunStoreScenario(const Options& options) {
  const LocalStore store =
      OpenLocalStore(options.data_dir, /*durable_writes=*/true);
  const UrlCanonicalizer canonicalizer;
  const bool put = options.scenario == "store_put";
  // What the put scenario sends, prepared up front so that the loop times
  // the store, not the corpus generator.
  std::vector<ArticleMutation> pool;
  if (put) {
    const CorpusGenerator generator(kCorpusSeed);
    for (int i = 0; i < kPutPool; ++i) {
      pool.push_back(ValidatedPut(generator.Article(i), canonicalizer));
    }
  }
  const std::vector<std::string> urls =
      put ? std::vector<std::string>() : CorpusUrls(options.corpus);
  Picker picker(options.corpus);
  LatencyLog log;
  const absl::Duration elapsed = RunThreads(
      [&](uint64_t i) {
        if (!put) {
          return store->Get(*canonicalizer.Canonicalize(urls[picker.Next()]))
              .ok();
        }
        ArticleMutation mutation = pool[picker.Next() % pool.size()];
        mutation.article.set_title(absl::StrCat("update ", i));
        return store->WriteOne(std::move(mutation)).ok();
      },
      options.concurrency, absl::Seconds(options.seconds), &log);
  std::printf(
      "%s\n",
      log.Row(options.scenario, LoadLabel(options), elapsed, -1).c_str());
}

// What the RPC scenarios send, prepared before the clock starts.
struct RpcWorkload {
  explicit RpcWorkload(const Options& options);

  Picker picker;
  std::shared_ptr<grpc::Channel> channel;
  std::shared_ptr<v1::ArticleService::Stub> stub;
  std::shared_ptr<grpc::health::v1::Health::Stub> health;
  std::vector<std::string> urls;    // get, batch_get, mix
  std::vector<v1::Article> pool;    // put, mix
  std::vector<std::string> tokens;  // list
  bool local_reads = false;
  // Marks a read call as asking for the replica's local state when set.
  void Mark(grpc::ClientContext* context) const {
    if (local_reads) context->AddMetadata("content-read-consistency", "local");
  }
};

RpcWorkload::RpcWorkload(const Options& options)
    : picker(options.corpus),
      channel(CreateArticleChannel(options.target)),
      stub(v1::ArticleService::NewStub(channel)),
      health(grpc::health::v1::Health::NewStub(channel)) {
  // Only the scenarios that ask for articles by URL need the corpus's URLs,
  // which take a while to generate for a large corpus.
  if (options.scenario == "get" || options.scenario == "batch_get" ||
      options.scenario == "mix") {
    urls = CorpusUrls(options.corpus);
  }
  if (options.scenario == "put" || options.scenario == "mix" ||
      options.scenario == "etcd_put_articles") {
    const CorpusGenerator generator(kCorpusSeed);
    for (int i = 0; i < kPutPool; ++i) pool.push_back(generator.Article(i));
  }
  if (options.scenario == "list") tokens = PageTokens(stub.get());
  local_reads = options.local_reads;
}

std::vector<std::string> SerializedPool(const std::vector<v1::Article>& pool) {
  std::vector<std::string> values;
  for (const v1::Article& article : pool) {
    values.push_back(article.SerializeAsString());
  }
  if (values.empty()) values.emplace_back(kEtcdValueBytes, 'v');
  return values;
}

// Every RPC scenario by name, each one call of it.
std::map<std::string, AsyncCall> RpcScenarios(RpcWorkload* w) {
  const auto get = [w](std::function<void(bool)> done) {
    auto* call = new Call<v1::GetArticleRequest, v1::GetArticleResponse>;
    call->request.set_url(w->urls[w->picker.Next()]);
    w->Mark(&call->context);
    w->stub->async()->GetArticle(&call->context, &call->request,
                                 &call->response,
                                 Finish(call, std::move(done)));
  };
  const auto put = [w](uint64_t i, std::function<void(bool)> done) {
    auto* call = new Call<v1::PutArticleRequest, v1::PutArticleResponse>;
    *call->request.mutable_article() =
        w->pool[w->picker.Next() % w->pool.size()];
    call->request.mutable_article()->set_title(absl::StrCat("update ", i));
    w->stub->async()->PutArticle(&call->context, &call->request,
                                 &call->response,
                                 Finish(call, std::move(done)));
  };
  return {
      {"health",
       [w](uint64_t, std::function<void(bool)> done) {
         auto* call = new Call<grpc::health::v1::HealthCheckRequest,
                               grpc::health::v1::HealthCheckResponse>;
         w->health->async()->Check(&call->context, &call->request,
                                   &call->response,
                                   Finish(call, std::move(done)));
       }},
      {"get", [get](uint64_t, std::function<void(bool)> done) { get(done); }},
      {"batch_get",
       [w](uint64_t, std::function<void(bool)> done) {
         auto* call = new Call<v1::BatchGetArticlesRequest,
                               v1::BatchGetArticlesResponse>;
         for (int k = 0; k < 10; ++k) {
           call->request.add_urls(w->urls[w->picker.Next()]);
         }
         w->stub->async()->BatchGetArticles(&call->context, &call->request,
                                            &call->response,
                                            Finish(call, std::move(done)));
       }},
      {"put", put},
      {"list",
       [w](uint64_t, std::function<void(bool)> done) {
         auto* call =
             new Call<v1::ListArticlesRequest, v1::ListArticlesResponse>;
         call->request.set_page_size(50);
         w->Mark(&call->context);
         call->request.set_page_token(
             w->tokens[w->picker.Next() % w->tokens.size()]);
         w->stub->async()->ListArticles(&call->context, &call->request,
                                        &call->response,
                                        Finish(call, std::move(done)));
       }},
      // The first page of one topic's articles of one year, newest first:
      // the feed query of issue 4.
      {"list_filtered",
       [w](uint64_t, std::function<void(bool)> done) {
         auto* call =
             new Call<v1::ListArticlesRequest, v1::ListArticlesResponse>;
         const uint64_t draw = w->picker.Next();
         const absl::Span<const char* const> topics = CorpusGenerator::Topics();
         const int year = 2010 + static_cast<int>(draw / topics.size() % 16);
         call->request.set_page_size(50);
         w->Mark(&call->context);
         call->request.set_filter(absl::StrFormat(
             "topics:\"%s\" AND publishedDateTime >= \"%d-01-01T00:00:00Z\" "
             "AND publishedDateTime < \"%d-01-01T00:00:00Z\"",
             topics[draw % topics.size()], year, year + 1));
         w->stub->async()->ListArticles(&call->context, &call->request,
                                        &call->response,
                                        Finish(call, std::move(done)));
       }},
      {"mix",
       [get, put](uint64_t i, std::function<void(bool)> done) {
         if (i % 10 == 9) {
           put(i, std::move(done));
         } else {
           get(std::move(done));
         }
       }},
      {"etcd_range", EtcdCall(w->channel, /*put=*/false, &w->picker)},
      {"etcd_put", EtcdCall(w->channel, /*put=*/true, &w->picker)},
      // The same bytes as `put` sends: the pool's articles, serialized.
      {"etcd_put_articles",
       EtcdCall(w->channel, /*put=*/true, &w->picker, SerializedPool(w->pool))},
  };
}

// One RPC scenario against options.target, with the server's CPU time when
// its pid is given.
void RunRpcScenario(const Options& options) {
  RpcWorkload workload(options);
  const std::map<std::string, AsyncCall> scenarios = RpcScenarios(&workload);
  const auto scenario = scenarios.find(options.scenario);
  if (scenario == scenarios.end()) {
    Fail(absl::StrCat("unknown scenario ", options.scenario));
  }
  LatencyLog log;
  const absl::Duration duration = absl::Seconds(options.seconds);
  const double cpu_before =
      options.server_pid > 0 ? CpuSeconds(options.server_pid) : 0;
  const absl::Duration elapsed =
      options.rate > 0
          ? RunOpenLoop(scenario->second, options.rate, duration, &log)
          : RunClosedLoop(scenario->second, options.concurrency, duration,
                          &log);
  const double cpu_seconds =
      options.server_pid > 0 ? CpuSeconds(options.server_pid) - cpu_before : -1;
  std::printf("%s\n", log.Row(options.scenario, LoadLabel(options), elapsed,
                              cpu_seconds)
                          .c_str());
}

int Run(const Options& options) {
  if (options.scenario == "store_load") {
    LoadStore(options);
  } else if (options.scenario == "header") {
    std::printf("%s\n", LatencyLog::Header().c_str());
  } else if (options.scenario == "corpus_json_mb") {
    PrintCorpusJsonMb(options);
  } else if (options.scenario == "store_get" ||
             options.scenario == "store_put") {
    RunStoreScenario(options);
  } else {
    RunRpcScenario(options);
  }
  return 0;
}

}  // namespace
}  // namespace content::bench

int main(int argc, char** argv) {
  content::DisableMutexDeadlockDetection();
  return content::bench::Run(content::bench::ParseOptions(argc, argv));
}
