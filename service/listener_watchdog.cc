#include "service/listener_watchdog.h"

#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <utility>

namespace content {
namespace {

// The HTTP/2 client connection preface and an empty SETTINGS frame
// (RFC 9113 section 3.4).
constexpr char kPreface[] =
    "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\x00\x00\x00\x04\x00\x00\x00\x00\x00";

// The host to probe for a listening `host`: loopback for a wildcard.
std::string ProbeHost(std::string host) {
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  // gRPC listens dual-stack on "::", so IPv4 loopback reaches it too, and
  // works where IPv6 is turned off.
  if (host.empty() || host == "0.0.0.0" || host == "::") return "127.0.0.1";
  return host;
}

}  // namespace

ListenerWatchdog::ListenerWatchdog(std::string address, absl::Duration interval,
                                   int misses, std::function<void()> on_stalled)
    : address_(std::move(address)),
      interval_(interval),
      misses_(misses),
      on_stalled_(std::move(on_stalled)) {
  thread_ = std::thread([this] { Run(); });
}

ListenerWatchdog::~ListenerWatchdog() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  thread_.join();
}

bool ListenerWatchdog::Answers(const std::string& address,
                               absl::Duration timeout) {
  const size_t colon = address.rfind(':');
  if (colon == std::string::npos) return true;
  const std::string host = ProbeHost(address.substr(0, colon));
  const std::string port = address.substr(colon + 1);
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  if (getaddrinfo(host.c_str(), port.c_str(), &hints, &found) != 0) {
    return true;  // nothing to judge by
  }
  const int fd =
      socket(found->ai_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK,
             found->ai_protocol);
  if (fd < 0) {
    freeaddrinfo(found);
    return true;  // out of descriptors ourselves: no verdict
  }
  const int timeout_ms = static_cast<int>(absl::ToInt64Milliseconds(timeout));
  // A full accept queue drops SYNs: connect in the background, bounded.
  int error = connect(fd, found->ai_addr, found->ai_addrlen) == 0 ? 0 : errno;
  freeaddrinfo(found);
  if (error == EINPROGRESS) {
    pollfd writable = {fd, POLLOUT, 0};
    socklen_t length = sizeof(error);
    if (poll(&writable, 1, timeout_ms) <= 0 ||
        getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length) != 0) {
      error = ETIMEDOUT;
    }
  }
  // Only silence counts against the listener: refused or unreachable is
  // other trouble than a stalled accept loop.
  bool answered = error != ETIMEDOUT;
  if (error == 0 &&
      send(fd, kPreface, sizeof(kPreface) - 1, MSG_NOSIGNAL) > 0) {
    pollfd readable = {fd, POLLIN, 0};
    // Data, a close or a reset all mean someone accepted the connection.
    answered = poll(&readable, 1, timeout_ms) > 0;
  }
  close(fd);
  return answered;
}

void ListenerWatchdog::Run() {
  int missed = 0;
  for (;;) {
    {
      absl::MutexLock lock(&mu_);
      if (mu_.AwaitWithTimeout(absl::Condition(&stopping_), interval_)) {
        return;
      }
    }
    missed = Answers(address_, interval_) ? 0 : missed + 1;
    if (missed >= misses_) {
      on_stalled_();
      missed = 0;
    }
  }
}

}  // namespace content
