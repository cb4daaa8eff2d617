#include "tests/support/etcd_process.h"

#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <thread>

#include "absl/strings/str_cat.h"
#include "etcd/etcdserver/etcdserverpb/rpc.grpc.pb.h"
#include "grpcpp/create_channel.h"
#include "gtest/gtest.h"
#include "tests/support/temp_dir.h"

namespace content::testing {
namespace {

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

constexpr char kReady[] = "ready to serve client requests";

}  // namespace

bool ReplicatedTestMode() {
  const char* mode = std::getenv("CONTENT_TEST_REPLICATION");
  return mode != nullptr && std::string(mode) == "etcd";
}

const std::string& SharedTestEtcd() {
  static const TempDir dir;
  static const EtcdCluster etcd(dir.path());
  return etcd.endpoints().front();
}

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

EtcdCluster::EtcdCluster(const std::string& dir, int members, const Tls* tls)
    : dir_(dir) {
  if (tls != nullptr) {
    tls_flags_ = {"--cert-file",       tls->cert_file,      "--key-file",
                  tls->key_file,       "--trusted-ca-file", tls->client_ca_file,
                  "--client-cert-auth"};
  }
  for (int i = 0; i < members; ++i) {
    Member member;
    member.name = absl::StrCat("m", i);
    member.client = absl::StrCat("127.0.0.1:", FreeLoopbackPort());
    member.peer = absl::StrCat("127.0.0.1:", FreeLoopbackPort());
    absl::StrAppend(&initial_cluster_, i == 0 ? "" : ",", member.name,
                    "=http://", member.peer);
    endpoints_.push_back(member.client);
    members_.push_back(member);
  }
  // Members of a new cluster become ready together, once a quorum runs.
  for (int i = 0; i < members; ++i) Spawn(i);
  started_ = true;
  for (int i = 0; i < members; ++i) started_ = WaitReady(i, 0) && started_;
}

EtcdCluster::~EtcdCluster() {
  for (size_t i = 0; i < members_.size(); ++i) Kill(static_cast<int>(i));
}

std::string EtcdCluster::LogPath(int i) const {
  return absl::StrCat(dir_, "/", members_[i].name, ".log");
}

int EtcdCluster::Readies(int i) const {
  const std::string text = ReadFile(LogPath(i));
  int count = 0;
  for (size_t at = text.find(kReady); at != std::string::npos;
       at = text.find(kReady, at + 1)) {
    ++count;
  }
  return count;
}

void EtcdCluster::Spawn(int i) {
  Member& member = members_[i];
  const std::string log_path = LogPath(i);
  const std::string client_url =
      (tls_flags_.empty() ? "http://" : "https://") + member.client;
  std::vector<std::string> argv = {"/usr/bin/etcd",
                                   "--name",
                                   member.name,
                                   "--data-dir",
                                   absl::StrCat(dir_, "/", member.name),
                                   "--listen-client-urls",
                                   client_url,
                                   "--advertise-client-urls",
                                   client_url,
                                   "--listen-peer-urls",
                                   "http://" + member.peer,
                                   "--initial-advertise-peer-urls",
                                   "http://" + member.peer,
                                   "--initial-cluster",
                                   initial_cluster_};
  argv.insert(argv.end(), tls_flags_.begin(), tls_flags_.end());
  member.pid = fork();
  if (member.pid == 0) {
    const int log = open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
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
}

bool EtcdCluster::WaitReady(int i, int readies_before) {
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (Readies(i) <= readies_before) {
    if (std::chrono::steady_clock::now() > deadline) {
      ADD_FAILURE() << "etcd member " << members_[i].name
                    << " did not start; log:\n"
                    << ReadFile(LogPath(i));
      return false;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return true;
}

void EtcdCluster::Kill(int i) {
  Member& member = members_[i];
  if (member.pid < 0) return;
  kill(member.pid, SIGKILL);
  waitpid(member.pid, nullptr, 0);
  member.pid = -1;
}

bool EtcdCluster::Restart(int i) {
  const int readies = Readies(i);
  Spawn(i);
  return WaitReady(i, readies);
}

int EtcdCluster::Leader() const {
  for (size_t i = 0; i < members_.size(); ++i) {
    if (members_[i].pid < 0) continue;
    auto stub = etcdserverpb::Maintenance::NewStub(grpc::CreateChannel(
        members_[i].client, grpc::InsecureChannelCredentials()));
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() +
                         std::chrono::seconds(2));
    etcdserverpb::StatusResponse status;
    if (!stub->Status(&context, etcdserverpb::StatusRequest(), &status).ok()) {
      continue;
    }
    if (status.leader() == 0) continue;
    if (status.leader() == status.header().member_id()) {
      return static_cast<int>(i);
    }
  }
  return -1;
}

}  // namespace content::testing
