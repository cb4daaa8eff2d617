#ifndef CONTENT_BASE_MUTEX_MODE_H_
#define CONTENT_BASE_MUTEX_MODE_H_

#include "absl/synchronization/mutex.h"

namespace content {

// Turns off absl::Mutex's deadlock detector for this process. Debian builds
// Abseil without NDEBUG, which leaves the detector on: every lock and unlock
// inside gRPC then updates one process-wide graph of lock order, a cost
// measured on every call. The binaries that serve or send load (the server,
// contentctl, the load generator) call this first thing in main; tests keep
// the detector.
inline void DisableMutexDeadlockDetection() {
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
}

}  // namespace content

#endif  // CONTENT_BASE_MUTEX_MODE_H_
