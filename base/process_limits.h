#ifndef CONTENT_BASE_PROCESS_LIMITS_H_
#define CONTENT_BASE_PROCESS_LIMITS_H_

#include <cstdint>

namespace content {

// Raises the process's soft limit on open file descriptors (RLIMIT_NOFILE)
// to its hard limit, as servers that hold many connections do, and returns
// the soft limit in force afterwards (unchanged if raising failed).
uint64_t RaiseOpenFileLimit();

}  // namespace content

#endif  // CONTENT_BASE_PROCESS_LIMITS_H_
