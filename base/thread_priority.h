#ifndef CONTENT_BASE_THREAD_PRIORITY_H_
#define CONTENT_BASE_THREAD_PRIORITY_H_

namespace content {

// Sets the nice value of the calling thread only (Linux schedules threads,
// so setpriority on the thread's id applies to it alone): 0 is the
// default, 19 the lowest priority. Background work at a higher nice value
// yields the CPU to the threads that serve requests. Failures are ignored:
// the thread then runs at the priority it had.
void SetCurrentThreadNice(int nice);

}  // namespace content

#endif  // CONTENT_BASE_THREAD_PRIORITY_H_
