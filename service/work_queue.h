#ifndef CONTENT_SERVICE_WORK_QUEUE_H_
#define CONTENT_SERVICE_WORK_QUEUE_H_

#include <cstddef>
#include <deque>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"

namespace content {

// A fixed set of threads running queued tasks in order: where the service
// runs reads that may take long (a costly query, a slow disk), so that they
// never hold the gRPC callback threads that health checks and cheap reads
// need.
//
// Thread-safe. The destructor runs the tasks still queued, then joins.
class WorkQueue {
 public:
  // `threads` threads at nice value `nice` (0: the default; higher values
  // yield the CPU to the rest of the process); at most `max_queued` tasks
  // wait at a time.
  WorkQueue(int threads, int nice, size_t max_queued);
  ~WorkQueue();

  WorkQueue(const WorkQueue&) = delete;
  WorkQueue& operator=(const WorkQueue&) = delete;

  // Queues `task`; false, without queueing it, when max_queued tasks wait.
  bool TrySchedule(std::function<void()> task) ABSL_LOCKS_EXCLUDED(mu_);

 private:
  void Work(int nice);

  const size_t max_queued_;
  absl::Mutex mu_;
  std::deque<std::function<void()>> tasks_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::vector<std::thread> threads_;
};

}  // namespace content

#endif  // CONTENT_SERVICE_WORK_QUEUE_H_
