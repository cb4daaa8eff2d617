#include "tests/support/subprocess.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <functional>
#include <regex>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "tests/support/etcd_process.h"

namespace content::testing {
namespace {

// Starts `argv` with stdout and stderr on pipes (stdout on `*out_fd`, unless
// null, in which case it goes to /dev/null).
pid_t Spawn(const std::vector<std::string>& argv, int* out_fd, int* err_fd) {
  int out_pipe[2];
  int err_pipe[2];
  if (pipe(out_pipe) != 0 || pipe(err_pipe) != 0) return -1;
  const pid_t pid = fork();
  if (pid == 0) {
    dup2(out_pipe[1], STDOUT_FILENO);
    dup2(err_pipe[1], STDERR_FILENO);
    close(out_pipe[0]);
    close(err_pipe[0]);
    std::vector<char*> args;
    for (const std::string& arg : argv)
      args.push_back(const_cast<char*>(arg.c_str()));
    args.push_back(nullptr);
    execv(args[0], args.data());
    _exit(127);
  }
  close(out_pipe[1]);
  close(err_pipe[1]);
  *out_fd = out_pipe[0];
  *err_fd = err_pipe[0];
  return pid;
}

int WaitExitCode(pid_t pid) {
  int status = 0;
  if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status)) return -1;
  return WEXITSTATUS(status);
}

}  // namespace

CommandResult RunCommand(const std::vector<std::string>& argv) {
  CommandResult result;
  int out_fd = -1;
  int err_fd = -1;
  const pid_t pid = Spawn(argv, &out_fd, &err_fd);
  if (pid < 0) return result;
  pollfd fds[2] = {{out_fd, POLLIN, 0}, {err_fd, POLLIN, 0}};
  std::string* sinks[2] = {&result.out, &result.err};
  int open_fds = 2;
  char buffer[4096];
  while (open_fds > 0 && poll(fds, 2, 60000) > 0) {
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0) continue;
      const ssize_t n = read(fds[i].fd, buffer, sizeof(buffer));
      if (n > 0) {
        sinks[i]->append(buffer, n);
      } else {
        close(fds[i].fd);
        fds[i].fd = -1;
        --open_fds;
      }
    }
  }
  result.exit_code = WaitExitCode(pid);
  return result;
}

ServerProcess::ServerProcess(const std::string& data_dir,
                             const std::vector<std::string>& extra_args,
                             const std::vector<std::string>& command_prefix) {
  std::vector<std::string> argv = command_prefix;
  argv.insert(argv.end(),
              {CONTENT_SERVER_BIN, "--listen", "127.0.0.1:0", "--data_dir",
               data_dir, "--metrics_listen", "127.0.0.1:0"});
  if (ReplicatedTestMode()) {
    // A replica of a log of its own: the prefix follows the data directory,
    // so a restart on the same data finds its log again.
    argv.insert(
        argv.end(),
        {"--replication", "etcd", "--etcd_endpoints", SharedTestEtcd(),
         "--etcd_prefix",
         absl::StrCat("/test/", std::hash<std::string>()(data_dir), "/"),
         "--replica_id", "r0"});
  }
  argv.insert(argv.end(), extra_args.begin(), extra_args.end());
  int out_fd = -1;
  pid_ = Spawn(argv, &out_fd, &log_fd_);
  if (pid_ < 0) {
    ADD_FAILURE() << "cannot start " << CONTENT_SERVER_BIN;
    return;
  }
  close(out_fd);
  // The first event names the bound address, in either log format.
  const std::regex listening(
      "event=listening "
      "address=(\\S+)|\"event\":\"listening\",\"address\":\"([^\"]+)\"");
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::seconds(30);
  std::smatch match;
  while (std::chrono::steady_clock::now() < deadline) {
    pollfd fd = {log_fd_, POLLIN, 0};
    if (poll(&fd, 1, 100) <= 0) continue;
    char buffer[4096];
    const ssize_t n = read(log_fd_, buffer, sizeof(buffer));
    if (n <= 0) break;  // exited
    log_.append(buffer, n);
    if (std::regex_search(log_, match, listening)) {
      address_ = match[1].matched ? match[1] : match[2];
      return;
    }
  }
  ADD_FAILURE() << "content-server did not start; log:\n" << log_;
}

void ServerProcess::ReadLog(bool until_eof) {
  char buffer[4096];
  while (true) {
    pollfd fd = {log_fd_, POLLIN, 0};
    if (poll(&fd, 1, until_eof ? 30000 : 0) <= 0) return;
    const ssize_t n = read(log_fd_, buffer, sizeof(buffer));
    if (n <= 0) return;
    log_.append(buffer, n);
  }
}

int ServerProcess::Stop(int signal) {
  if (pid_ < 0) return -1;
  kill(pid_, signal);
  ReadLog(/*until_eof=*/true);
  const int code = WaitExitCode(pid_);
  pid_ = -1;
  close(log_fd_);
  return code;
}

ServerProcess::~ServerProcess() {
  if (pid_ >= 0) Stop(SIGKILL);
}

}  // namespace content::testing
