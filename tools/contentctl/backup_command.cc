#include "tools/contentctl/backup_command.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <optional>
#include <system_error>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "backup/backup_format.h"
#include "base/whole_file.h"
#include "client/status_conversion.h"
#include "content/v1/admin_service.grpc.pb.h"
#include "tools/contentctl/cli_output.h"

namespace content {
namespace {

namespace fs = std::filesystem;

// A backup may be large; its stream gets this long.
constexpr absl::Duration kBackupTimeout = absl::Hours(6);

// Receives the stream into `partial`; returns the manifest on success.
absl::StatusOr<BackupManifest> Receive(
    grpc::ClientReaderInterface<v1::BackupStoreResponse>* reader,
    const fs::path& partial) {
  BackupManifest manifest;
  std::optional<BackupFile> current;
  std::ofstream file;
  std::optional<Sha256> digest;
  std::optional<v1::BackupSummary> summary;
  v1::BackupStoreResponse message;
  while (reader->Read(&message)) {
    if (message.has_summary()) {
      summary = message.summary();
      continue;
    }
    const v1::BackupChunk& chunk = message.chunk();
    if (summary.has_value() || !IsPlainFileName(chunk.file_name()) ||
        chunk.file_name() == kBackupManifestName ||
        (current.has_value() && current->name != chunk.file_name())) {
      return absl::DataLossError(
          absl::StrCat("the server sent an unexpected chunk of \"",
                       chunk.file_name(), "\""));
    }
    if (!current.has_value()) {
      current = BackupFile{chunk.file_name(), 0, ""};
      digest.emplace();
      file.open(partial / chunk.file_name(),
                std::ios::binary | std::ios::trunc);
    }
    file.write(chunk.data().data(),
               static_cast<std::streamsize>(chunk.data().size()));
    digest->Update(chunk.data());
    current->size += chunk.data().size();
    if (chunk.sha256().empty()) continue;
    file.close();
    if (!file) {
      return absl::UnavailableError(absl::StrCat(
          (partial / current->name).string(), ": cannot be written"));
    }
    current->sha256 = digest->HexDigest();
    if (current->sha256 != chunk.sha256()) {
      return absl::DataLossError(
          absl::StrCat(current->name,
                       ": SHA-256 of what arrived differs from the server's"));
    }
    manifest.files.push_back(std::move(*current));
    current.reset();
  }
  if (!summary.has_value() || current.has_value() ||
      static_cast<size_t>(summary->file_count()) != manifest.files.size()) {
    return absl::DataLossError("the backup stream ended early");
  }
  manifest.revision = summary->revision();
  return manifest;
}

}  // namespace

int RunBackup(const std::shared_ptr<grpc::Channel>& channel,
              const std::string& dir_arg, std::ostream& out,
              std::ostream& err) {
  std::string dir = dir_arg;
  while (dir.size() > 1 && dir.back() == '/') dir.pop_back();
  std::error_code error;
  if (fs::exists(dir, error)) {
    err << "contentctl: " << dir << " already exists\n";
    return kExitFailed;
  }
  const fs::path partial = absl::StrCat(dir, ".partial");
  fs::remove_all(partial, error);
  fs::create_directories(partial, error);
  if (error) {
    err << "contentctl: " << partial.string() << ": " << error.message()
        << "\n";
    return kExitFailed;
  }
  auto stub = v1::AdminService::NewStub(channel);
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + kBackupTimeout));
  auto reader = stub->BackupStore(&context, v1::BackupStoreRequest());
  absl::StatusOr<BackupManifest> manifest = Receive(reader.get(), partial);
  if (!manifest.ok()) context.TryCancel();
  const absl::Status finished = FromGrpcStatus(reader->Finish());
  absl::Status status = !finished.ok() ? finished : manifest.status();
  if (status.ok()) {
    status = WriteFileAtomically((partial / kBackupManifestName).string(),
                                 FormatBackupManifest(*manifest));
  }
  if (status.ok() && std::rename(partial.c_str(), dir.c_str()) != 0) {
    status = absl::UnavailableError(absl::StrCat(dir, ": cannot be created"));
  }
  if (!status.ok()) {
    fs::remove_all(partial, error);
    return ReportFailure(status, err);
  }
  uint64_t bytes = 0;
  for (const BackupFile& file : manifest->files) bytes += file.size;
  out << "backed up revision " << manifest->revision << " to " << dir << " ("
      << manifest->files.size() << " files, " << bytes << " bytes)\n";
  return kExitOk;
}

}  // namespace content
