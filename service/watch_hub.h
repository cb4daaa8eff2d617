#ifndef CONTENT_SERVICE_WATCH_HUB_H_
#define CONTENT_SERVICE_WATCH_HUB_H_

#include <cstdint>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "content/v1/article_service.pb.h"
#include "storage/article_query.h"
#include "storage/article_store.h"

namespace content {

// Changes read from the feed at a time, by the hub and by a catching-up
// watch.
inline constexpr size_t kWatchChangesPerRead = 256;

// One message of a watch, shared by every watch with the same filter.
struct WatchMessage {
  std::shared_ptr<const v1::WatchArticlesResponse> response;
  size_t bytes = 0;  // its serialized size
};

// The messages a watch with `query` is sent for `changes` (whole revisions,
// in order): each holds the matching events (PUT, DELETE, or LEFT_FILTER for
// a put that takes an article out of the filter) of at most about 1 MiB, and
// the revision it is complete up to. None when nothing matches.
std::vector<WatchMessage> WatchMessagesFor(
    const ArticleQuery& query, const std::vector<ArticleChange>& changes);

// One open watch, as the hub sees it.
class WatchSubscriber {
 public:
  virtual ~WatchSubscriber() = default;
  // From now on the hub delivers: called inside Join, with the hub's lock
  // held, like all the methods here: they must not block and must not call
  // into the hub.
  virtual void OnJoined() = 0;
  // Queues `messages` for sending; they may start below the revision the
  // subscriber joined at.
  virtual void Deliver(const std::vector<WatchMessage>& messages) = 0;
  // Called about every 200 ms with the revision everything up to which has
  // been delivered: time for a progress message or the end of the stream.
  // Same rules as Deliver.
  virtual void Tick(absl::Time now, int64_t delivered_revision) = 0;
  // The hub cannot go on (the change feed failed under it): ends the watch
  // with `status`. Same rules as Deliver.
  virtual void Abort(const absl::Status& status) = 0;
};

// Fans the change feed out to every open watch from one thread, as etcd's
// watchable store does: the hub reads each batch of changes once, builds the
// messages once per distinct filter, and hands the same messages to every
// watch with that filter, so a change costs one read and one message per
// filter, whatever the number of watches, and a watch costs no thread.
//
// A watch starts by sending the history from its start revision itself (see
// article_watch.cc) and joins the hub once it has caught up.
//
// Thread-safe. The store is borrowed and must outlive the hub.
class WatchHub {
 public:
  explicit WatchHub(ArticleStore* store);
  // Stops the thread. Every subscriber must have left.
  ~WatchHub();

  // Makes `subscriber` (whose filter is `filter`, parsed as `query`) receive
  // the changes of every revision the hub has not delivered yet, and returns
  // true, when it wants those from `next` on and the hub is not past `next`;
  // otherwise returns false (the subscriber must read the changes from
  // `next` on itself first, then try again).
  bool Join(WatchSubscriber* subscriber, const std::string& filter,
            const ArticleQuery& query, int64_t next) ABSL_LOCKS_EXCLUDED(mu_);

  // Stops deliveries to `subscriber`; once it returns, the hub no longer
  // touches it. No-op if it has not joined.
  void Leave(WatchSubscriber* subscriber) ABSL_LOCKS_EXCLUDED(mu_);

 private:
  struct Group {
    ArticleQuery query;
    std::vector<WatchSubscriber*> members;
  };

  void Run();
  // Reads the next batch of changes and delivers it.
  void DeliverNext() ABSL_LOCKS_EXCLUDED(mu_);

  ArticleStore* const store_;
  absl::Mutex mu_;
  int64_t next_ ABSL_GUARDED_BY(mu_);  // first revision not yet delivered
  absl::flat_hash_map<std::string, Group> groups_ ABSL_GUARDED_BY(mu_);
  absl::flat_hash_map<WatchSubscriber*, std::string> filters_
      ABSL_GUARDED_BY(mu_);
  absl::Time last_tick_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace content

#endif  // CONTENT_SERVICE_WATCH_HUB_H_
