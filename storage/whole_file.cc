#include "storage/whole_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "absl/strings/str_cat.h"

namespace content {

absl::StatusOr<std::string> ReadWholeFile(const std::string& path) {
  const auto failure = [&path](int error) {
    return absl::NotFoundError(
        absl::StrCat(path, ": cannot be read: ", std::strerror(error)));
  };
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return failure(errno);
  struct stat info;
  if (fstat(fd, &info) != 0) {
    const int error = errno;
    close(fd);
    return failure(error);
  }
  // One byte beyond fstat's size, so that the read finding the end needs no
  // growth (and no copy); grown only if the file grows meanwhile.
  std::string contents(
      static_cast<size_t>(std::max<off_t>(info.st_size, 0)) + 1, '\0');
  size_t filled = 0;
  for (;;) {
    if (filled == contents.size()) contents.resize(contents.size() * 2);
    const ssize_t n =
        read(fd, contents.data() + filled, contents.size() - filled);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const int error = errno;
      close(fd);
      return failure(error);
    }
    if (n == 0) break;
    filled += static_cast<size_t>(n);
  }
  close(fd);
  contents.resize(filled);
  return contents;
}

absl::Status WriteFileAtomically(const std::string& path,
                                 absl::string_view contents) {
  const std::string temporary =
      absl::StrCat(path, ".tmp-", static_cast<long>(getpid()));
  const int fd = open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0) {
    return absl::UnavailableError(
        absl::StrCat(temporary, ": ", std::strerror(errno)));
  }
  size_t written = 0;
  while (written < contents.size()) {
    const ssize_t n =
        write(fd, contents.data() + written, contents.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    written += static_cast<size_t>(n);
  }
  const bool ok = written == contents.size() && fsync(fd) == 0;
  const int saved_errno = errno;
  close(fd);
  if (!ok || rename(temporary.c_str(), path.c_str()) != 0) {
    const std::string why = std::strerror(ok ? errno : saved_errno);
    unlink(temporary.c_str());
    return absl::UnavailableError(absl::StrCat(path, ": ", why));
  }
  return absl::OkStatus();
}

}  // namespace content
