#include "service/admin_service.h"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <system_error>

#include "absl/strings/str_cat.h"
#include "backup/backup_format.h"
#include "service/log.h"
#include "service/rich_status.h"

namespace content {
namespace {

// Well under the default 4 MiB message limit of clients.
constexpr size_t kChunkBytes = 1 << 20;

// A directory removed with everything in it when this goes out of scope.
class ScratchDir {
 public:
  explicit ScratchDir(std::string path) : path_(std::move(path)) {}
  ~ScratchDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace

AdminServiceImpl::AdminServiceImpl(ArticleStore* store, EngineAdmin* engine,
                                   const UrlCanonicalizer* canonicalizer,
                                   const AccessPolicy* access,
                                   std::string scratch_dir)
    : store_(store),
      engine_(engine),
      canonicalizer_(canonicalizer),
      access_(access),
      scratch_dir_(std::move(scratch_dir)) {}

grpc::Status AdminServiceImpl::VerifyStore(grpc::ServerContext* context,
                                           const v1::VerifyStoreRequest*,
                                           v1::VerifyStoreResponse* response) {
  const absl::Status allowed = access_->Authorize(*context, Role::kAdmin);
  if (!allowed.ok()) return ToGrpcStatus(allowed);
  const auto stored_under_canonical_url = [this](absl::string_view key,
                                                 const v1::Article& article) {
    absl::StatusOr<std::string> canonical =
        canonicalizer_->Canonicalize(article.web_url());
    if (!canonical.ok()) {
      return absl::StrCat("web_url ", canonical.status().message());
    }
    if (*canonical != key) {
      return absl::StrCat("stored under another key than its web_url's ",
                          *canonical);
    }
    return std::string();
  };
  absl::StatusOr<VerifyReport> report =
      store_->Verify(stored_under_canonical_url);
  if (!report.ok()) return ToGrpcStatus(report.status());
  response->set_article_count(report->articles);
  response->set_alias_count(report->aliases);
  response->set_revision(report->revision);
  response->mutable_problems()->Assign(report->problems.begin(),
                                       report->problems.end());
  response->set_state_digest(report->state_digest);
  LogEvent(report->problems.empty() ? "info" : "error", "store_verified",
           {{"articles", absl::StrCat(report->articles)},
            {"aliases", absl::StrCat(report->aliases)},
            {"revision", absl::StrCat(report->revision)},
            {"problems", absl::StrCat(report->problems.size())},
            {"state_digest", report->state_digest}});
  return grpc::Status::OK;
}

grpc::Status AdminServiceImpl::BackupStore(
    grpc::ServerContext* context, const v1::BackupStoreRequest*,
    grpc::ServerWriter<v1::BackupStoreResponse>* writer) {
  const absl::Status allowed = access_->Authorize(*context, Role::kAdmin);
  if (!allowed.ok()) return ToGrpcStatus(allowed);
  if (engine_ == nullptr) {
    return grpc::Status(grpc::StatusCode::UNIMPLEMENTED,
                        "this store's engine takes no backups");
  }
  static std::atomic<int64_t> next_backup{0};
  std::error_code error;
  std::filesystem::create_directories(scratch_dir_, error);
  ScratchDir dir(absl::StrCat(scratch_dir_, "/backup-", getpid(), "-",
                              next_backup.fetch_add(1)));
  std::filesystem::remove_all(dir.path(), error);  // a crashed run's leftover
  absl::StatusOr<int64_t> revision = engine_->Checkpoint(dir.path());
  if (!revision.ok()) return ToGrpcStatus(revision.status());
  const absl::Status sent =
      SendCheckpoint(dir.path(), *revision, context, writer);
  LogEvent(sent.ok() ? "info" : "warn", "backup",
           {{"revision", absl::StrCat(*revision)},
            {"outcome", sent.ok() ? "sent" : std::string(sent.message())}});
  return ToGrpcStatus(sent);
}

absl::Status AdminServiceImpl::SendCheckpoint(
    const std::string& dir, int64_t revision, grpc::ServerContext* context,
    grpc::ServerWriter<v1::BackupStoreResponse>* writer) {
  v1::BackupSummary summary;
  summary.set_revision(revision);
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.is_regular_file()) files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  std::string buffer(kChunkBytes, '\0');
  for (const std::filesystem::path& path : files) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
      return absl::InternalError(absl::StrCat("cannot read ", path.string()));
    }
    Sha256 digest;
    v1::BackupStoreResponse message;
    v1::BackupChunk* chunk = message.mutable_chunk();
    chunk->set_file_name(path.filename().string());
    do {
      in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
      const absl::string_view data(buffer.data(),
                                   static_cast<size_t>(in.gcount()));
      digest.Update(data);
      summary.set_total_bytes(summary.total_bytes() + data.size());
      chunk->set_data(std::string(data));
      if (in.peek() == std::char_traits<char>::eof()) {
        chunk->set_sha256(digest.HexDigest());
      }
      if (context->IsCancelled() || !writer->Write(message)) {
        return absl::CancelledError("the client went away during the backup");
      }
    } while (chunk->sha256().empty());
    if (in.bad()) {
      return absl::InternalError(absl::StrCat("cannot read ", path.string()));
    }
    summary.set_file_count(summary.file_count() + 1);
  }
  v1::BackupStoreResponse last;
  *last.mutable_summary() = summary;
  writer->Write(last);
  return absl::OkStatus();
}

}  // namespace content
