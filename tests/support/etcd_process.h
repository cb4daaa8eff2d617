#ifndef CONTENT_TESTS_SUPPORT_ETCD_PROCESS_H_
#define CONTENT_TESTS_SUPPORT_ETCD_PROCESS_H_

#include <sys/types.h>

#include <string>
#include <vector>

namespace content::testing {

// An etcd 3.4 cluster (Debian's etcd-server, /usr/bin/etcd) of `members`
// processes on free loopback ports, their data and logs under `dir`.
class EtcdCluster {
 public:
  // TLS for the client URLs: the members' certificate and key, and the CA
  // whose client certificates they require (--client-cert-auth).
  struct Tls {
    std::string cert_file;
    std::string key_file;
    std::string client_ca_file;
  };

  // Starts every member and waits (at most 30 s) until all serve clients;
  // with `tls`, over TLS only.
  EtcdCluster(const std::string& dir, int members = 1,
              const Tls* tls = nullptr);
  // Kills every member.
  ~EtcdCluster();

  bool started() const { return started_; }
  // host:port of each member's client URL.
  const std::vector<std::string>& endpoints() const { return endpoints_; }
  // The index of the member that leads, or -1 if none answers.
  int Leader() const;
  // SIGKILLs member `i`.
  void Kill(int i);
  // Starts member `i` again on its data and waits until it serves.
  bool Restart(int i);

 private:
  struct Member {
    std::string name;
    std::string client;
    std::string peer;
    pid_t pid = -1;
  };
  std::string LogPath(int i) const;
  // How often member `i`'s log says it is ready.
  int Readies(int i) const;
  void Spawn(int i);
  // Waits until member `i`'s log says ready more than `readies_before`
  // times.
  bool WaitReady(int i, int readies_before);

  std::string dir_;
  std::vector<Member> members_;
  std::vector<std::string> endpoints_;
  std::string initial_cluster_;
  std::vector<std::string> tls_flags_;
  bool started_ = false;
};

// A loopback TCP port no socket is bound to right now.
int FreeLoopbackPort();

// Whether the environment asks servers under test to run as replicas
// (CONTENT_TEST_REPLICATION=etcd; CTest sets it for the "replicated/" runs
// of the service and end-to-end suites).
bool ReplicatedTestMode();

// host:port of one etcd member for the whole test process, started on first
// use and killed at exit.
const std::string& SharedTestEtcd();

}  // namespace content::testing

#endif  // CONTENT_TESTS_SUPPORT_ETCD_PROCESS_H_
