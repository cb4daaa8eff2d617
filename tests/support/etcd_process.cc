#include "tests/support/etcd_process.h"

#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

namespace content::testing {

int FreeLoopbackPort() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address = {};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof(address);
  int port = -1;
  if (bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0 &&
      getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0) {
    port = ntohs(address.sin_port);
  }
  close(fd);
  return port;
}

EtcdProcess::EtcdProcess(const std::string& dir) {
  const std::string client = absl::StrCat("127.0.0.1:", FreeLoopbackPort());
  const std::string peer = absl::StrCat("127.0.0.1:", FreeLoopbackPort());
  const std::string log_path = dir + "/etcd.log";
  const std::vector<std::string> argv = {"/usr/bin/etcd",
                                         "--name",
                                         "test",
                                         "--data-dir",
                                         dir + "/etcd",
                                         "--listen-client-urls",
                                         "http://" + client,
                                         "--advertise-client-urls",
                                         "http://" + client,
                                         "--listen-peer-urls",
                                         "http://" + peer,
                                         "--initial-advertise-peer-urls",
                                         "http://" + peer,
                                         "--initial-cluster",
                                         "test=http://" + peer};
  pid_ = fork();
  if (pid_ == 0) {
    const int log = open(log_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    dup2(log, STDOUT_FILENO);
    dup2(log, STDERR_FILENO);
    std::vector<char*> args;
    for (const std::string& arg : argv) {
      args.push_back(const_cast<char*>(arg.c_str()));
    }
    args.push_back(nullptr);
    execv(args[0], args.data());
    _exit(127);
  }
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (std::chrono::steady_clock::now() < deadline) {
    std::ifstream in(log_path);
    std::stringstream text;
    text << in.rdbuf();
    if (text.str().find("ready to serve client requests") !=
        std::string::npos) {
      endpoint_ = client;
      started_ = true;
      return;
    }
    if (waitpid(pid_, nullptr, WNOHANG) == pid_) {
      pid_ = -1;
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  std::ifstream in(log_path);
  std::stringstream text;
  text << in.rdbuf();
  ADD_FAILURE() << "etcd did not start; log:\n" << text.str();
}

EtcdProcess::~EtcdProcess() {
  if (pid_ < 0) return;
  kill(pid_, SIGKILL);
  waitpid(pid_, nullptr, 0);
}

}  // namespace content::testing
