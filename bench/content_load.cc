// content-load: the load generator of bench/run.sh. Drives one scenario
// against a content server (or etcd, or the store alone) and prints one row
// of a Markdown table; see docs/benchmarks.md.
//
//   content-load --scenario get --target 127.0.0.1:50051 --corpus 100000
//                (--concurrency 32 | --rate 5000) [--seconds 10]
//                [--keys uniform|zipfian] [--articles generated|seed]
//
// PostgreSQL scenarios (pg_load, pg_get, pg_put) take --postgres CONNINFO.

#include <dirent.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/strip.h"
#include "base/mutex_mode.h"
#include "bench/bench_corpus.h"
#include "bench/key_picker.h"
#include "bench/latency_log.h"
#include "bench/load_driver.h"
#include "bench/postgres_peer.h"
#include "client/article_channel.h"
#include "content/v1/article_service.grpc.pb.h"
#include "document/corpus_generator.h"
#include "etcd/etcdserver/etcdserverpb/rpc.grpc.pb.h"
#include "google/protobuf/util/json_util.h"
#include "grpc/health/v1/health.pb.h"
#include "grpcpp/client_context.h"
#include "grpcpp/generic/generic_stub.h"
#include "service/article_validator.h"
#include "storage/kv_article_store.h"
#include "storage/rocksdb/rocksdb_engine.h"
#include "url/canonical_url.h"

namespace content::bench {
namespace {

constexpr int kPutPool = 10000;  // distinct articles cycled through by puts
// Where the etcd scenarios keep article `url`.
constexpr absl::string_view kEtcdKeyPrefix = "/content/";

struct Options {
  std::string scenario;
  std::string target = "127.0.0.1:50051";
  std::string data_dir;  // store_* scenarios
  uint64_t corpus = 100000;
  int concurrency = 32;
  double rate = 0;  // > 0: open loop
  double seconds = 10;
  int server_pid = 0;   // > 0: report its CPU time per call
  bool settle = false;  // count the background work the load left, too
  // Reads ask a replica (replicated mode) for its local state.
  bool local_reads = false;
  KeyDistribution keys = KeyDistribution::kUniform;
  ArticleShape articles = ArticleShape::kGenerated;
  std::string postgres;  // libpq conninfo, pg_* scenarios
};

// The fields of /proc/PID/stat after the command name (which is in
// parentheses): [0] is the state (the 3rd field), [1] the parent's pid,
// [11] utime, [12] stime, [13] cutime and [14] cstime (children waited
// for); empty if the process is gone.
std::vector<std::string> StatFields(absl::string_view pid) {
  std::ifstream in(absl::StrCat("/proc/", pid, "/stat"));
  std::string line;
  std::getline(in, line);
  if (line.rfind(')') == std::string::npos) return {};
  std::istringstream fields(line.substr(line.rfind(')') + 2));
  return {std::istream_iterator<std::string>(fields),
          std::istream_iterator<std::string>()};
}

// CPU seconds (user + system) that process `pid` and its children have
// used, living or exited: a PostgreSQL server's work is done in its
// backends and workers.
double CpuSeconds(int pid) {
  const std::string parent = absl::StrCat(pid);
  double ticks = 0;
  DIR* proc = opendir("/proc");
  for (dirent* entry = proc ? readdir(proc) : nullptr; entry != nullptr;
       entry = readdir(proc)) {
    const std::vector<std::string> fields = StatFields(entry->d_name);
    if (fields.size() < 15) continue;
    if (entry->d_name == parent) {
      ticks += std::stod(fields[13]) + std::stod(fields[14]);
    }
    if (entry->d_name == parent || fields[1] == parent) {
      ticks += std::stod(fields[11]) + std::stod(fields[12]);
    }
  }
  if (proc != nullptr) closedir(proc);
  return ticks / sysconf(_SC_CLK_TCK);
}

// The CPU seconds process --server_pid (and its children) used from
// construction to Seconds(); with --settle true, Seconds() first waits for
// the background work the load left behind (RocksDB's flushes and
// compactions, a database's checkpoints) until the process idles (under 2%
// of a core for a second; at most 120 s), so work deferred past the timed
// part is charged to its calls. -1 without --server_pid.
class ServerCpu {
 public:
  ServerCpu(int pid, bool settle)
      : pid_(pid), settle_(settle), start_(pid > 0 ? CpuSeconds(pid) : 0) {}

  double Seconds() const {
    if (pid_ <= 0) return -1;
    double now = CpuSeconds(pid_);
    for (int second = 0; settle_ && second < 120; ++second) {
      sleep(1);
      const double next = CpuSeconds(pid_);
      const bool idle = next - now < 0.02;
      now = next;
      if (idle) break;
    }
    return now - start_;
  }

 private:
  const int pid_;
  const bool settle_;
  const double start_;
};

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
    } else if (arg == "settle") {
      ok = value == "true" || value == "false";
      options.settle = value == "true";
    } else if (arg == "server_pid") {
      ok = absl::SimpleAtoi(value, &options.server_pid) &&
           options.server_pid > 0;
    } else if (arg == "read_consistency") {
      ok = value == "local" || value == "default";
      options.local_reads = value == "local";
    } else if (arg == "keys") {
      ok = value == "uniform" || value == "zipfian";
      options.keys = value == "zipfian" ? KeyDistribution::kZipfian
                                        : KeyDistribution::kUniform;
    } else if (arg == "articles") {
      ok = value == "generated" || value == "seed";
      options.articles =
          value == "seed" ? ArticleShape::kSeedSized : ArticleShape::kGenerated;
    } else if (arg == "postgres") {
      options.postgres = value;
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

// Asks a replica (replicated mode) for its local state when `local`.
void MarkLocalRead(bool local, grpc::ClientContext* context) {
  if (local) context->AddMetadata("content-read-consistency", "local");
}

// Starts a unary call of `method` with `request` whose reply is taken as
// bytes, unparsed, as a load generator such as h2load takes it and as libpq
// hands over PostgreSQL's row: the point reads of every peer (the health
// Check, GetArticle, etcd's Range) cost their client the same, the reply's
// bytes. `local` marks a read as asking for a replica's local state.
void StartRawCall(grpc::GenericStub* stub, const std::string& method,
                  const google::protobuf::Message& request, bool local,
                  std::function<void(bool)> done) {
  auto* call = new Call<grpc::ByteBuffer, grpc::ByteBuffer>;
  MarkLocalRead(local, &call->context);
  grpc::Slice slice(request.SerializeAsString());
  call->request = grpc::ByteBuffer(&slice, 1);
  stub->UnaryCall(&call->context, method, grpc::StubOptions(), &call->request,
                  &call->response, Finish(call, std::move(done)));
}

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

std::string EtcdKey(absl::string_view url) {
  return absl::StrCat(kEtcdKeyPrefix, url);
}

// etcd_load: puts articles 0 .. corpus - 1, serialized, under their keys.
void LoadEtcd(const Options& options) {
  const BenchCorpus corpus(options.articles);
  const auto kv =
      etcdserverpb::KV::NewStub(CreateArticleChannel(options.target));
  const uint64_t failed = RunEach(
      [&](uint64_t i) {
        const v1::Article article = corpus.Article(i);
        etcdserverpb::PutRequest request;
        request.set_key(EtcdKey(article.web_url()));
        request.set_value(article.SerializeAsString());
        grpc::ClientContext context;
        etcdserverpb::PutResponse response;
        return kv->Put(&context, request, &response).ok();
      },
      16, options.corpus);
  if (failed > 0) Fail(absl::StrCat(failed, " etcd puts failed"));
  std::printf("loaded %llu articles into etcd\n",
              static_cast<unsigned long long>(options.corpus));
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
  const BenchCorpus corpus(options.articles);
  const UrlCanonicalizer canonicalizer;
  std::vector<ArticleMutation> batch;
  for (uint64_t i = 0; i < options.corpus; ++i) {
    batch.push_back(ValidatedPut(corpus.Article(i), canonicalizer));
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

// The size of the corpus as proto3 JSON in MB, then the mean size of an
// article serialized (protobuf) in bytes, from a 1% sample (every 100th
// article; at least 1,000).
void PrintCorpusSize(const Options& options) {
  const BenchCorpus corpus(options.articles);
  const uint64_t step = options.corpus >= 100000 ? 100 : 1;
  uint64_t json_bytes = 0;
  uint64_t proto_bytes = 0;
  uint64_t sampled = 0;
  for (uint64_t i = 0; i < options.corpus; i += step, ++sampled) {
    const v1::Article article = corpus.Article(i);
    std::string json;
    (void)google::protobuf::util::MessageToJsonString(article, &json);
    json_bytes += json.size();
    proto_bytes += article.ByteSizeLong();
  }
  std::printf(
      "%.0f %.0f\n",
      json_bytes * (static_cast<double>(options.corpus) / sampled) / (1 << 20),
      static_cast<double>(proto_bytes) / sampled);
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
  const BenchCorpus corpus(options.articles);
  std::vector<ArticleMutation> pool;
  if (put) {
    for (int i = 0; i < kPutPool; ++i) {
      pool.push_back(ValidatedPut(corpus.Article(i), canonicalizer));
    }
  }
  const std::vector<std::string> urls =
      put ? std::vector<std::string>() : corpus.Urls(options.corpus);
  KeyPicker picker(options.corpus, options.keys);
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

// pg_load, pg_get, pg_put: PostgreSQL 15 (see PostgresPeer), with the CPU
// time of its server processes when --server_pid is the postmaster's.
void RunPostgresScenario(const Options& options) {
  if (options.postgres.empty()) Fail("--postgres CONNINFO is required");
  const BenchCorpus corpus(options.articles);
  PostgresPeer peer(options.postgres, &corpus);
  if (options.scenario == "pg_load") {
    std::printf("%.0f\n", peer.Load(options.corpus));
    return;
  }
  const bool put = options.scenario == "pg_put";
  std::vector<v1::Article> pool;
  for (int i = 0; put && i < kPutPool; ++i) pool.push_back(corpus.Article(i));
  const std::vector<std::string> urls =
      put ? std::vector<std::string>() : corpus.Urls(options.corpus);
  KeyPicker picker(options.corpus, options.keys);
  peer.Connect(options.concurrency);
  LatencyLog log;
  const ServerCpu cpu(options.server_pid, options.settle);
  const absl::Duration elapsed = RunThreads(
      [&](uint64_t i) {
        if (!put) return peer.Get(urls[picker.Next()]);
        v1::Article article = pool[picker.Next() % pool.size()];
        article.set_title(absl::StrCat("update ", i));
        return peer.Put(article);
      },
      options.concurrency, absl::Seconds(options.seconds), &log);
  // PostgreSQL writes its dirty pages at checkpoints, on a timer of
  // minutes: one now charges them to the puts that made them.
  if (put && options.settle) peer.Checkpoint();
  const double cpu_seconds = cpu.Seconds();
  std::printf("%s\n", log.Row(options.scenario, LoadLabel(options), elapsed,
                              cpu_seconds)
                          .c_str());
}

// What the RPC scenarios send, prepared before the clock starts.
struct RpcWorkload {
  explicit RpcWorkload(const Options& options);

  KeyPicker picker;
  std::shared_ptr<grpc::Channel> channel;
  std::shared_ptr<v1::ArticleService::Stub> stub;
  std::shared_ptr<grpc::GenericStub> raw;    // health, get, etcd_range
  std::vector<std::string> urls;             // get, batch_get, mix
  std::vector<v1::Article> pool;             // put, mix, etcd_put
  std::vector<std::string> serialized_pool;  // etcd_put
  std::vector<std::string> tokens;           // list
  bool local_reads = false;
  // Marks a read call as asking for the replica's local state when set.
  void Mark(grpc::ClientContext* context) const {
    MarkLocalRead(local_reads, context);
  }
};

RpcWorkload::RpcWorkload(const Options& options)
    : picker(options.corpus, options.keys),
      channel(CreateArticleChannel(options.target)),
      stub(v1::ArticleService::NewStub(channel)),
      raw(std::make_shared<grpc::GenericStub>(channel)) {
  // Only the scenarios that ask for articles by URL need the corpus's URLs,
  // which take a while to generate for a large corpus.
  const BenchCorpus corpus(options.articles);
  if (options.scenario == "get" || options.scenario == "batch_get" ||
      options.scenario == "mix" || options.scenario == "etcd_range") {
    urls = corpus.Urls(options.corpus);
  }
  if (options.scenario == "put" || options.scenario == "mix" ||
      options.scenario == "etcd_put") {
    for (int i = 0; i < kPutPool; ++i) pool.push_back(corpus.Article(i));
  }
  if (options.scenario == "etcd_put") {
    for (const v1::Article& article : pool) {
      serialized_pool.push_back(article.SerializeAsString());
    }
  }
  if (options.scenario == "list") tokens = PageTokens(stub.get());
  local_reads = options.local_reads;
}

// etcd_range: a Range of a picked article's key, as a Get reads it.
AsyncCall EtcdRange(RpcWorkload* w) {
  return [w](uint64_t, std::function<void(bool)> done) {
    etcdserverpb::RangeRequest request;
    request.set_key(EtcdKey(w->urls[w->picker.Next()]));
    // Served from the member's own state, as our Get is from the server's
    // (a linearizable Range adds a ReadIndex round).
    request.set_serializable(true);
    StartRawCall(w->raw.get(), "/etcdserverpb.KV/Range", request,
                 /*local=*/false, std::move(done));
  };
}

// etcd_put: a Put of a pool article, serialized, under its key: the bytes a
// PutArticle of it sends.
AsyncCall EtcdPut(RpcWorkload* w) {
  auto kv = std::shared_ptr(etcdserverpb::KV::NewStub(w->channel));
  return [w, kv](uint64_t, std::function<void(bool)> done) {
    auto* call = new Call<etcdserverpb::PutRequest, etcdserverpb::PutResponse>;
    const uint64_t k = w->picker.Next() % w->pool.size();
    call->request.set_key(EtcdKey(w->pool[k].web_url()));
    call->request.set_value(w->serialized_pool[k]);
    kv->async()->Put(&call->context, &call->request, &call->response,
                     Finish(call, std::move(done)));
  };
}

// Every RPC scenario by name, each one call of it.
std::map<std::string, AsyncCall> RpcScenarios(RpcWorkload* w) {
  const auto get = [w](std::function<void(bool)> done) {
    v1::GetArticleRequest request;
    request.set_url(w->urls[w->picker.Next()]);
    StartRawCall(w->raw.get(), "/content.v1.ArticleService/GetArticle", request,
                 w->local_reads, std::move(done));
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
         StartRawCall(w->raw.get(), "/grpc.health.v1.Health/Check",
                      grpc::health::v1::HealthCheckRequest(), /*local=*/false,
                      std::move(done));
       }},
      {"get", [get](uint64_t, std::function<void(bool)> done) { get(done); }},
      {"batch_get",
       [w](uint64_t, std::function<void(bool)> done) {
         auto* call = new Call<v1::BatchGetArticlesRequest,
                               v1::BatchGetArticlesResponse>;
         w->Mark(&call->context);
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
      {"etcd_range", EtcdRange(w)},
      {"etcd_put", EtcdPut(w)},
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
  const ServerCpu cpu(options.server_pid, options.settle);
  const absl::Duration elapsed =
      options.rate > 0
          ? RunOpenLoop(scenario->second, options.rate, duration, &log)
          : RunClosedLoop(scenario->second, options.concurrency, duration,
                          &log);
  const double cpu_seconds = cpu.Seconds();
  std::printf("%s\n", log.Row(options.scenario, LoadLabel(options), elapsed,
                              cpu_seconds)
                          .c_str());
}

int Run(const Options& options) {
  if (options.scenario == "store_load") {
    LoadStore(options);
  } else if (options.scenario == "header") {
    std::printf("%s\n", LatencyLog::Header().c_str());
  } else if (options.scenario == "corpus_size") {
    PrintCorpusSize(options);
  } else if (options.scenario == "etcd_load") {
    LoadEtcd(options);
  } else if (absl::StartsWith(options.scenario, "pg_")) {
    RunPostgresScenario(options);
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
