#include "backup/backup_format.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <system_error>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace content {
namespace {

constexpr absl::string_view kMagic = "content-backup 1";
constexpr size_t kCopyBufferBytes = 1 << 20;

absl::Status Errno(absl::string_view what) {
  return absl::UnavailableError(absl::StrCat(what, ": ", std::strerror(errno)));
}

absl::Status SyncPath(const std::string& path) {
  const int fd = open(path.c_str(), O_RDONLY);
  if (fd < 0) return Errno(path);
  const bool ok = fsync(fd) == 0;
  close(fd);
  return ok ? absl::OkStatus() : Errno(path);
}

// Copies `from` to `to`, checking its size and digest against `expected`.
absl::Status CopyVerified(const std::string& from, const std::string& to,
                          const BackupFile& expected) {
  std::ifstream in(from, std::ios::binary);
  if (!in) return absl::DataLossError(absl::StrCat(from, ": missing"));
  std::ofstream out(to, std::ios::binary | std::ios::trunc);
  if (!out) return Errno(to);
  Sha256 digest;
  uint64_t size = 0;
  std::string buffer(kCopyBufferBytes, '\0');
  while (in) {
    in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    const absl::string_view chunk(buffer.data(),
                                  static_cast<size_t>(in.gcount()));
    digest.Update(chunk);
    size += chunk.size();
    out.write(chunk.data(), static_cast<std::streamsize>(chunk.size()));
  }
  if (in.bad()) return Errno(from);
  out.close();
  if (!out) return Errno(to);
  if (size != expected.size || digest.HexDigest() != expected.sha256) {
    return absl::DataLossError(absl::StrCat(
        from, ": differs from the manifest (", size, " bytes, expected ",
        expected.size, " with SHA-256 ", expected.sha256, ")"));
  }
  return SyncPath(to);
}

}  // namespace

bool IsPlainFileName(absl::string_view name) {
  return !name.empty() && name != "." && name != ".." &&
         name.find('/') == absl::string_view::npos &&
         name.find('\0') == absl::string_view::npos;
}

std::string FormatBackupManifest(const BackupManifest& manifest) {
  std::string text =
      absl::StrCat(kMagic, "\nrevision ", manifest.revision, "\n");
  for (const BackupFile& file : manifest.files) {
    absl::StrAppend(&text, "file ", file.name, " ", file.size, " ", file.sha256,
                    "\n");
  }
  return text;
}

absl::StatusOr<BackupManifest> ParseBackupManifest(absl::string_view text,
                                                   absl::string_view path) {
  BackupManifest manifest;
  bool has_revision = false;
  int number = 0;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    ++number;
    const auto error = [&](absl::string_view problem) {
      return absl::InvalidArgumentError(
          absl::StrCat(path, ":", number, ": ", problem));
    };
    if (number == 1) {
      if (line != kMagic) return error("not a content backup manifest");
      continue;
    }
    if (line.empty()) continue;
    const std::vector<absl::string_view> words = absl::StrSplit(line, ' ');
    if (words[0] == "revision" && words.size() == 2 &&
        absl::SimpleAtoi(words[1], &manifest.revision) &&
        manifest.revision >= 0) {
      has_revision = true;
    } else if (words[0] == "file" && words.size() == 4) {
      BackupFile file{std::string(words[1]), 0, std::string(words[3])};
      if (!IsPlainFileName(file.name) || file.name == kBackupManifestName ||
          !absl::SimpleAtoi(words[2], &file.size) || file.sha256.size() != 64) {
        return error("expected: file NAME SIZE SHA256");
      }
      manifest.files.push_back(std::move(file));
    } else {
      return error("expected \"revision N\" or \"file NAME SIZE SHA256\"");
    }
  }
  if (number == 0 || !has_revision) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": incomplete manifest (no revision)"));
  }
  return manifest;
}

absl::StatusOr<BackupManifest> RestoreBackup(const std::string& backup_dir,
                                             const std::string& db_path) {
  namespace fs = std::filesystem;
  std::error_code error;
  if (fs::exists(db_path, error)) {
    return absl::FailedPreconditionError(absl::StrCat(
        db_path, " already exists; restore only fills an empty data_dir"));
  }
  const std::string manifest_path =
      (fs::path(backup_dir) / kBackupManifestName).string();
  std::ifstream in(manifest_path, std::ios::binary);
  if (!in) {
    return absl::InvalidArgumentError(absl::StrCat(
        manifest_path, ": missing; not a backup, or an unfinished one"));
  }
  const std::string text((std::istreambuf_iterator<char>(in)),
                         std::istreambuf_iterator<char>());
  absl::StatusOr<BackupManifest> manifest =
      ParseBackupManifest(text, manifest_path);
  if (!manifest.ok()) return manifest.status();

  const fs::path target(db_path);
  const fs::path staging =
      target.parent_path() /
      absl::StrCat(target.filename().string(), ".restoring");
  fs::remove_all(staging, error);
  fs::create_directories(staging, error);
  if (error) {
    return absl::UnavailableError(
        absl::StrCat(staging.string(), ": ", error.message()));
  }
  for (const BackupFile& file : manifest->files) {
    absl::Status status =
        CopyVerified((fs::path(backup_dir) / file.name).string(),
                     (staging / file.name).string(), file);
    if (!status.ok()) {
      fs::remove_all(staging, error);
      return status;
    }
  }
  absl::Status status = SyncPath(staging.string());
  if (status.ok() && rename(staging.c_str(), target.c_str()) != 0) {
    status = Errno(db_path);
  }
  if (status.ok()) status = SyncPath(target.parent_path().string());
  if (!status.ok()) return status;
  return manifest;
}

}  // namespace content
