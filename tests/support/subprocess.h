#ifndef CONTENT_TESTS_SUPPORT_SUBPROCESS_H_
#define CONTENT_TESTS_SUPPORT_SUBPROCESS_H_

#include <sys/types.h>

#include <string>
#include <vector>

namespace content::testing {

struct CommandResult {
  int exit_code = -1;  // -1 if it did not exit normally
  std::string out;
  std::string err;
};

// Runs `argv` to completion and returns its exit code and output.
CommandResult RunCommand(const std::vector<std::string>& argv);

// A real content-server process on a free loopback port.
class ServerProcess {
 public:
  // Starts the binary with --listen 127.0.0.1:0 --data_dir `data_dir`
  // --metrics_listen 127.0.0.1:0 and `extra_args`, and waits (at most 30 s)
  // until it logs its address.
  // `command_prefix` goes before the binary (e.g. prlimit and its flags).
  ServerProcess(const std::string& data_dir,
                const std::vector<std::string>& extra_args = {},
                const std::vector<std::string>& command_prefix = {});
  // Kills the process if it still runs.
  ~ServerProcess();

  bool started() const { return !address_.empty(); }
  pid_t pid() const { return pid_; }
  const std::string& address() const { return address_; }

  // Sends `signal` and waits for the exit; returns the exit code, or -1 if
  // the process did not exit normally.
  int Stop(int signal);

  // Everything the server logged so far (complete after Stop).
  const std::string& log() const { return log_; }

 private:
  void ReadLog(bool until_eof);

  pid_t pid_ = -1;
  int log_fd_ = -1;
  std::string address_;
  std::string log_;
};

}  // namespace content::testing

#endif  // CONTENT_TESTS_SUPPORT_SUBPROCESS_H_
