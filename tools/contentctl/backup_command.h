#ifndef CONTENT_TOOLS_CONTENTCTL_BACKUP_COMMAND_H_
#define CONTENT_TOOLS_CONTENTCTL_BACKUP_COMMAND_H_

#include <memory>
#include <ostream>
#include <string>

#include "grpcpp/channel.h"

namespace content {

// `contentctl backup DIR`: streams an online backup (AdminService.
// BackupStore) into `dir`, which must not exist. Files land in a sibling
// "DIR.partial", each checked against the SHA-256 the server sends; the
// manifest is written last and the directory renamed to `dir`, so `dir`
// exists only once the backup is complete. Returns the exit code.
int RunBackup(const std::shared_ptr<grpc::Channel>& channel,
              const std::string& dir, std::ostream& out, std::ostream& err);

}  // namespace content

#endif  // CONTENT_TOOLS_CONTENTCTL_BACKUP_COMMAND_H_
