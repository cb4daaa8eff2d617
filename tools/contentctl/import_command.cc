#include "tools/contentctl/import_command.h"

#include <algorithm>
#include <filesystem>
#include <future>
#include <system_error>
#include <thread>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "base/whole_file.h"
#include "document/article_document.h"
#include "tools/contentctl/cli_output.h"

namespace content {
namespace {

// Documents parsed ahead of the stream, per window.
constexpr size_t kWindow = 2048;

struct Failure {
  std::string file;
  std::string reason;
};

// Adds the regular files under `path` (or `path` itself) in name order.
absl::Status CollectFiles(const std::string& path,
                          std::vector<std::string>* files) {
  std::error_code error;
  if (std::filesystem::is_regular_file(path, error)) {
    files->push_back(path);
    return absl::OkStatus();
  }
  if (!std::filesystem::is_directory(path, error)) {
    return absl::NotFoundError(
        absl::StrCat(path, ": no such file or directory"));
  }
  std::vector<std::string> found;
  for (auto it = std::filesystem::recursive_directory_iterator(path, error);
       !error && it != std::filesystem::recursive_directory_iterator();
       it.increment(error)) {
    const std::string name = it->path().filename().string();
    if (!name.empty() && name[0] == '.') {  // hidden: skip, and its subtree
      if (it->is_directory()) it.disable_recursion_pending();
      continue;
    }
    if (it->is_regular_file()) found.push_back(it->path().string());
  }
  if (error) {
    return absl::UnavailableError(absl::StrCat(path, ": ", error.message()));
  }
  std::sort(found.begin(), found.end());
  files->insert(files->end(), found.begin(), found.end());
  return absl::OkStatus();
}

absl::StatusOr<v1::Article> ReadDocument(const std::string& file) {
  absl::StatusOr<std::string> text = ReadWholeFile(file);
  if (!text.ok()) return text.status();
  return ParseArticleDocument(*text, file);
}

// Parses files[begin, end) on `jobs` threads, results in file order.
std::vector<absl::StatusOr<v1::Article>> ParseWindow(
    const std::vector<std::string>& files, size_t begin, size_t end, int jobs) {
  std::vector<absl::StatusOr<v1::Article>> parsed(end - begin);
  std::vector<std::thread> workers;
  for (int job = 0; job < jobs; ++job) {
    workers.emplace_back([&, job] {
      for (size_t i = begin + job; i < end; i += jobs) {
        parsed[i - begin] = ReadDocument(files[i]);
      }
    });
  }
  for (std::thread& worker : workers) worker.join();
  return parsed;
}

class ProgressLine {
 public:
  ProgressLine(bool enabled, size_t total, std::ostream& err)
      : enabled_(enabled), total_(total), err_(err), start_(absl::Now()) {}

  void Update(size_t done) {
    if (!enabled_) return;
    const double seconds = absl::ToDoubleSeconds(absl::Now() - start_);
    const double rate = seconds > 0 ? done / seconds : 0;
    const double eta = rate > 0 ? (total_ - done) / rate : 0;
    err_ << absl::StrFormat(
                "\rimporting %zu/%zu (%.0f%%)  %.0f docs/s  ETA %.0fs ", done,
                total_, total_ ? 100.0 * done / total_ : 100.0, rate, eta)
         << std::flush;
  }
  void Done() {
    if (enabled_) err_ << "\n";
  }

 private:
  const bool enabled_;
  const size_t total_;
  std::ostream& err_;
  const absl::Time start_;
};

}  // namespace

int RunImport(ArticleClient& client, const std::vector<std::string>& paths,
              const ImportOptions& options, std::ostream& out,
              std::ostream& err) {
  std::vector<Failure> failures;
  std::vector<std::string> files;
  for (const std::string& path : paths) {
    const absl::Status status = CollectFiles(path, &files);
    if (!status.ok()) failures.push_back({path, std::string(status.message())});
  }

  const int jobs = std::max(1, options.jobs);
  std::unique_ptr<ArticleImporter> importer =
      client.StartImport(options.batch_size);
  std::vector<size_t> sent;  // stream position -> index into `files`
  ProgressLine progress(options.progress, files.size(), err);
  std::future<std::vector<absl::StatusOr<v1::Article>>> next =
      std::async(std::launch::async, ParseWindow, std::cref(files), 0,
                 std::min(kWindow, files.size()), jobs);
  bool stream_ok = true;
  for (size_t begin = 0; begin < files.size() && stream_ok; begin += kWindow) {
    std::vector<absl::StatusOr<v1::Article>> parsed = next.get();
    const size_t following = begin + kWindow;
    if (following < files.size()) {
      next = std::async(std::launch::async, ParseWindow, std::cref(files),
                        following, std::min(following + kWindow, files.size()),
                        jobs);
    }
    for (size_t i = 0; i < parsed.size() && stream_ok; ++i) {
      if (!parsed[i].ok()) {
        failures.push_back(
            {files[begin + i], std::string(parsed[i].status().message())});
        continue;
      }
      const absl::Status added = importer->Add(std::move(*parsed[i]));
      if (added.ok()) {
        sent.push_back(begin + i);
      } else if (absl::IsFailedPrecondition(added)) {
        stream_ok = false;  // Finish() says why
      } else {
        failures.push_back({files[begin + i], std::string(added.message())});
      }
    }
    progress.Update(std::min(following, files.size()));
  }
  if (next.valid()) next.wait();  // a window parsed after the stream broke
  progress.Done();

  absl::StatusOr<v1::ImportArticlesResponse> summary = importer->Finish();
  if (!summary.ok()) {
    err << "contentctl: import stopped; documents sent before the failure may "
           "have been stored\n";
    return ReportFailure(summary.status(), err);
  }
  for (const v1::ImportFailure& failure : summary->failures()) {
    const bool known = failure.index() >= 0 &&
                       static_cast<size_t>(failure.index()) < sent.size();
    failures.push_back({known ? files[sent[failure.index()]]
                              : absl::StrCat("document #", failure.index()),
                        failure.reason()});
  }
  const int64_t server_failed = summary->failed_count();
  const int64_t unlisted = server_failed - summary->failures_size();
  for (const Failure& failure : failures) {
    // Codec errors begin with the file name already.
    if (failure.reason.rfind(failure.file, 0) == 0) {
      err << failure.reason << "\n";
    } else {
      err << failure.file << ": " << failure.reason << "\n";
    }
  }
  if (unlisted > 0) err << "... and " << unlisted << " more rejected\n";
  // The summary must add up to what was sent: a document the server did
  // not account for was not stored, and counts as failed.
  const int64_t accounted = summary->created_count() +
                            summary->updated_count() +
                            summary->unchanged_count() + server_failed;
  const int64_t unaccounted = static_cast<int64_t>(sent.size()) - accounted;
  if (unaccounted != 0) {
    err << "contentctl: the server's summary accounts for " << accounted
        << " of the " << sent.size() << " documents sent\n";
  }
  const size_t failed = failures.size() + static_cast<size_t>(unlisted) +
                        static_cast<size_t>(std::max<int64_t>(unaccounted, 0));
  out << "imported " << files.size()
      << " documents: " << summary->created_count() << " created, "
      << summary->updated_count() << " updated, " << summary->unchanged_count()
      << " unchanged, " << failed << " failed\n";
  return failed == 0 ? kExitOk : kExitFailed;
}

}  // namespace content
