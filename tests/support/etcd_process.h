#ifndef CONTENT_TESTS_SUPPORT_ETCD_PROCESS_H_
#define CONTENT_TESTS_SUPPORT_ETCD_PROCESS_H_

#include <sys/types.h>

#include <string>

namespace content::testing {

// A one-member etcd 3.4 (Debian's etcd-server, /usr/bin/etcd) on free
// loopback ports, its data and log in `dir`.
class EtcdProcess {
 public:
  // Starts etcd and waits (at most 30 s) until it serves clients.
  explicit EtcdProcess(const std::string& dir);
  // Kills etcd.
  ~EtcdProcess();

  bool started() const { return started_; }
  // host:port of its client URL.
  const std::string& endpoint() const { return endpoint_; }

 private:
  pid_t pid_ = -1;
  bool started_ = false;
  std::string endpoint_;
};

// A loopback TCP port no socket is bound to right now.
int FreeLoopbackPort();

}  // namespace content::testing

#endif  // CONTENT_TESTS_SUPPORT_ETCD_PROCESS_H_
