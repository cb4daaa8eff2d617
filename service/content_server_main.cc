// content-server: serves content.v1.ArticleService until SIGINT or SIGTERM,
// or with --restore_from, restores a backup into the data directory. The
// composition root: it chooses the engine (RocksDB).

#include <malloc.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <thread>

#include "absl/strings/str_cat.h"
#include "base/mutex_mode.h"
#include "service/content_server.h"
#include "service/log.h"
#include "service/server_config.h"
#include "storage/rocksdb/rocksdb_engine.h"

int main(int argc, char** argv) {
  content::DisableMutexDeadlockDetection();
  // glibc gives threads up to 8 malloc arenas per core, each keeping the
  // memory freed into it; with gRPC's and RocksDB's threads that held 440 MB
  // resident at 1,000,000 articles where one arena per core holds 252 MB, at
  // the same Gets/s and pages/s (docs/benchmarks.md). Set before any thread.
  mallopt(M_ARENA_MAX,
          static_cast<int>(std::max(2u, std::thread::hardware_concurrency())));
  absl::StatusOr<content::ServerConfig> config =
      content::LoadServerConfig(argc, argv, environ);
  if (absl::IsCancelled(config.status())) {  // --help
    std::fputs(std::string(config.status().message()).c_str(), stdout);
    return 0;
  }
  if (!config.ok()) {
    std::fprintf(stderr, "content-server: %s\n",
                 std::string(config.status().message()).c_str());
    return 2;
  }

  content::SetLogFormat(config->log_format);
  content::LogEvent("info", "config", content::DescribeConfig(*config));
  if (!config->restore_from.empty()) {
    absl::StatusOr<int64_t> revision = content::ContentServer::Restore(*config);
    if (!revision.ok()) {
      content::LogEvent("error", "restore_failed",
                        {{"error", revision.status().ToString()}});
      return 1;
    }
    content::LogEvent("info", "restored",
                      {{"from", config->restore_from},
                       {"data_dir", config->data_dir},
                       {"revision", absl::StrCat(*revision)}});
    return 0;
  }

  // Block the stop signals before gRPC starts its threads, so that only the
  // sigwait below receives them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  absl::StatusOr<std::unique_ptr<content::ContentServer>> server =
      content::ContentServer::Start(*config,
                                    content::RocksDbEngine::OpenEngine);
  if (!server.ok()) {
    content::LogEvent("error", "start_failed",
                      {{"error", server.status().ToString()}});
    return 1;
  }
  int signal_number = 0;
  sigwait(&stop_signals, &signal_number);
  content::LogEvent("info", "stopping", {{"signal", strsignal(signal_number)}});
  (*server)->Shutdown();
  return 0;
}
