#ifndef CONTENT_BACKUP_BACKUP_FORMAT_H_
#define CONTENT_BACKUP_BACKUP_FORMAT_H_

// A backup is a directory holding the files of a RocksDB checkpoint and a
// manifest, kBackupManifestName, written last: each file with its size and
// SHA-256, and the store revision the backup holds. A directory without a
// manifest is an unfinished backup.

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "base/sha256.h"

namespace content {

inline constexpr char kBackupManifestName[] = "CONTENT-BACKUP";

struct BackupFile {
  std::string name;  // a plain file name, see IsPlainFileName
  uint64_t size = 0;
  std::string sha256;  // lowercase hex
};

struct BackupManifest {
  int64_t revision = 0;
  std::vector<BackupFile> files;
};

// True for a name that stays inside a directory: not empty, not "." or "..",
// no '/' or NUL.
bool IsPlainFileName(absl::string_view name);

std::string FormatBackupManifest(const BackupManifest& manifest);

// INVALID_ARGUMENT naming `path` and the line for anything malformed.
absl::StatusOr<BackupManifest> ParseBackupManifest(absl::string_view text,
                                                   absl::string_view path);

// Checks every file of the backup in `backup_dir` against its manifest, then
// copies them into `db_path`, which must not exist yet: through a sibling
// temporary directory that is renamed only once complete and synced. Returns
// the backup's manifest. FAILED_PRECONDITION if `db_path` exists,
// DATA_LOSS if a file is missing or differs from the manifest.
absl::StatusOr<BackupManifest> RestoreBackup(const std::string& backup_dir,
                                             const std::string& db_path);

}  // namespace content

#endif  // CONTENT_BACKUP_BACKUP_FORMAT_H_
