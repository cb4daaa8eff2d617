#include "base/whole_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <utility>

#include "absl/strings/str_cat.h"

namespace content {

absl::Status FileError(absl::string_view path, int error) {
  std::string message = absl::StrCat(path, ": ", std::strerror(error));
  switch (error) {
    case ENOENT:
    case ENOTDIR:
      return absl::NotFoundError(std::move(message));
    case EACCES:
    case EPERM:
    case EROFS:
      return absl::PermissionDeniedError(std::move(message));
    case ENOSPC:
    case EDQUOT:
    case EMFILE:
    case ENFILE:
    case ENOMEM:
    case EFBIG:
      return absl::ResourceExhaustedError(std::move(message));
    case EISDIR:
    case ELOOP:
    case ENAMETOOLONG:
    case EEXIST:
      return absl::FailedPreconditionError(std::move(message));
    default:
      return absl::UnavailableError(std::move(message));
  }
}

absl::StatusOr<std::string> ReadWholeFile(const std::string& path) {
  const auto failure = [&path](int error) { return FileError(path, error); };
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

namespace {

// Writes `contents` to a new temporary file beside `path` with permissions
// `mode` (less the umask) and fsyncs it; returns its name.
absl::StatusOr<std::string> WriteTemporary(const std::string& path,
                                           absl::string_view contents,
                                           mode_t mode) {
  // Unique per call, so threads writing one path never share a file.
  static std::atomic<uint64_t> next_temporary{0};
  std::string temporary =
      absl::StrCat(path, ".tmp-", static_cast<long>(getpid()), "-",
                   next_temporary.fetch_add(1, std::memory_order_relaxed));
  const int fd =
      open(temporary.c_str(),
           O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
  if (fd < 0) return FileError(temporary, errno);
  size_t written = 0;
  int error = 0;
  while (written < contents.size()) {
    const ssize_t n =
        write(fd, contents.data() + written, contents.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      error = n < 0 ? errno : EIO;
      break;
    }
    written += static_cast<size_t>(n);
  }
  if (error == 0 && fsync(fd) != 0) error = errno;
  close(fd);
  if (error != 0) {
    unlink(temporary.c_str());
    return FileError(path, error);
  }
  return temporary;
}

// Makes a rename or link in the directory of `path` durable.
absl::Status SyncDirectoryOf(const std::string& path) {
  const size_t slash = path.rfind('/');
  const std::string dir = slash == std::string::npos ? "."
                          : slash == 0               ? "/"
                                                     : path.substr(0, slash);
  const int fd = open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return FileError(dir, errno);
  const int error = fsync(fd) == 0 ? 0 : errno;
  close(fd);
  return error == 0 ? absl::OkStatus() : FileError(dir, error);
}

}  // namespace

absl::Status WriteFileAtomically(const std::string& path,
                                 absl::string_view contents) {
  absl::StatusOr<std::string> temporary = WriteTemporary(path, contents, 0644);
  if (!temporary.ok()) return temporary.status();
  if (rename(temporary->c_str(), path.c_str()) != 0) {
    const int error = errno;
    unlink(temporary->c_str());
    return FileError(path, error);
  }
  return SyncDirectoryOf(path);
}

absl::Status CreateFileAtomically(const std::string& path,
                                  absl::string_view contents, mode_t mode) {
  absl::StatusOr<std::string> temporary = WriteTemporary(path, contents, mode);
  if (!temporary.ok()) return temporary.status();
  const int error = link(temporary->c_str(), path.c_str()) == 0 ? 0 : errno;
  unlink(temporary->c_str());
  if (error == EEXIST) {
    return absl::AlreadyExistsError(absl::StrCat(path, ": already exists"));
  }
  if (error != 0) return FileError(path, error);
  return SyncDirectoryOf(path);
}

}  // namespace content
