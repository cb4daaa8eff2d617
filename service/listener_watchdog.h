#ifndef CONTENT_SERVICE_LISTENER_WATCHDOG_H_
#define CONTENT_SERVICE_LISTENER_WATCHDOG_H_

#include <functional>
#include <string>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace content {

// Watches that a listening gRPC server still accepts connections. gRPC 1.51
// stops accepting for good after one accept4() fails, as it does with EMFILE
// when the process runs out of descriptors; nothing in gRPC reports it.
//
// Every `interval` the watchdog connects to `address` (HOST:PORT; a wildcard
// host is probed on loopback) and sends the HTTP/2 connection preface: a
// listening server answers at once (its SETTINGS, or a TLS alert, or a
// close). After `misses` probes in a row got no answer at all, it calls
// `on_stalled` on its own thread, then goes on probing.
//
// Thread-safe; the destructor stops the thread.
class ListenerWatchdog {
 public:
  ListenerWatchdog(std::string address, absl::Duration interval, int misses,
                   std::function<void()> on_stalled);
  ~ListenerWatchdog();

  ListenerWatchdog(const ListenerWatchdog&) = delete;
  ListenerWatchdog& operator=(const ListenerWatchdog&) = delete;

 private:
  // Whether a server listening on `address` answered within `timeout`: true
  // when it answered, and when the probe says nothing of a stalled accept
  // loop (no socket to ask with, connection refused or unreachable); false
  // when the connection or the answer timed out.
  static bool Answers(const std::string& address, absl::Duration timeout);

  void Run();

  const std::string address_;
  const absl::Duration interval_;
  const int misses_;
  const std::function<void()> on_stalled_;
  absl::Mutex mu_;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace content

#endif  // CONTENT_SERVICE_LISTENER_WATCHDOG_H_
