// Fuzzes the backup manifest parser, which restore trusts with file names:
// no crash, and no accepted name may leave the backup directory.

#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "backup/backup_format.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view text(reinterpret_cast<const char*>(data), size);
  absl::StatusOr<content::BackupManifest> manifest =
      content::ParseBackupManifest(text, "fuzz");
  if (!manifest.ok()) return 0;
  for (const content::BackupFile& file : manifest->files) {
    if (!content::IsPlainFileName(file.name)) std::abort();
  }
  absl::StatusOr<content::BackupManifest> again = content::ParseBackupManifest(
      content::FormatBackupManifest(*manifest), "again");
  if (!again.ok() || again->files.size() != manifest->files.size()) {
    std::abort();
  }
  return 0;
}
