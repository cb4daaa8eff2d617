// ArticleServiceImpl::WatchArticles: the change feed over gRPC, as callback
// streams fed by the WatchHub. A watch costs no thread: it sends the
// history from its start revision itself, reading the store on the callback
// thread that finished its previous write, then joins the hub.

#include <algorithm>
#include <deque>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "service/article_service.h"
#include "service/list_query.h"
#include "service/rich_status.h"
#include "service/watch_hub.h"

namespace content {
namespace {

// A watch whose client reads slower than the changes arrive is ended once
// this many bytes wait for it; it can resume from the revision it names.
constexpr size_t kMaxQueuedBytes = 16 << 20;

}  // namespace

class ArticleServiceImpl::WatchReactor final
    : public grpc::ServerWriteReactor<v1::WatchArticlesResponse>,
      public WatchSubscriber {
 public:
  WatchReactor(ArticleServiceImpl* service,
               grpc::CallbackServerContext* context,
               const v1::WatchArticlesRequest& request)
      : service_(service),
        filter_(request.filter()),
        end_(absl::Now() + service->limits_.max_stream_duration) {
    absl::Status status = service_->access_->Authorize(*context, Role::kRead);
    if (status.ok() && request.start_revision() < 0) {
      status = InvalidArgument({{"start_revision", "must not be negative"}});
    }
    absl::StatusOr<ArticleQuery> query = ParseFilter(request.filter());
    if (status.ok() && !query.ok()) {
      status =
          InvalidArgument({{"filter", std::string(query.status().message())}});
    }
    absl::MutexLock lock(&mu_);
    if (!status.ok()) {
      FinishLocked(status);
      return;
    }
    query_ = *std::move(query);
    next_ = request.start_revision() == 0 ? service_->store_->LastRevision() + 1
                                          : request.start_revision();
    // The first message says where the watch starts.
    QueueLocked({Progress(next_ - 1)});
  }

  void OnWriteDone(bool ok) override {
    {
      absl::MutexLock lock(&mu_);
      if (done_) return;
      if (!ok) {
        FinishLocked(absl::CancelledError("the client went away"));
        return;
      }
      queued_bytes_ -= queue_.front().bytes;
      sent_revision_ = queue_.front().response->revision();
      last_sent_ = absl::Now();
      queue_.pop_front();
      if (!queue_.empty()) {
        StartWrite(queue_.front().response.get());
        return;
      }
      writing_ = false;
      if (live_) return;
    }
    CatchUp();
  }

  void OnCancel() override {
    absl::MutexLock lock(&mu_);
    FinishLocked(absl::CancelledError("the client cancelled the watch"));
  }

  void OnDone() override {
    service_->watch_hub_->Leave(this);
    delete this;
  }

  // WatchSubscriber, called by the hub with its lock held.
  void OnJoined() override {
    absl::MutexLock lock(&mu_);
    live_ = true;
  }

  void Deliver(const std::vector<WatchMessage>& messages) override {
    absl::MutexLock lock(&mu_);
    if (messages.front().response->events(0).revision() >= next_) {
      QueueLocked(messages);  // the common case: nothing sent before
      return;
    }
    // The watch joined the hub ahead of it: drop the events it sent itself,
    // one by one (a message may end inside a revision).
    std::vector<WatchMessage> unsent;
    for (const WatchMessage& message : messages) {
      auto rest = std::make_shared<v1::WatchArticlesResponse>();
      rest->set_revision(std::max(message.response->revision(), next_ - 1));
      for (const v1::ArticleEvent& event : message.response->events()) {
        if (event.revision() >= next_) *rest->add_events() = event;
      }
      if (rest->events().empty()) continue;
      const size_t bytes = rest->ByteSizeLong();
      unsent.push_back({std::move(rest), bytes});
    }
    QueueLocked(unsent);
  }

  void Tick(absl::Time now, int64_t delivered_revision) override {
    absl::MutexLock lock(&mu_);
    if (done_) return;
    if (now >= end_) {
      FinishLocked(DeadlineExceeded());
      return;
    }
    if (!writing_ &&
        now >= last_sent_ + service_->limits_.watch_progress_interval) {
      // Never below what the watch sent itself before it joined.
      QueueLocked({Progress(std::max(delivered_revision, next_ - 1))});
    }
  }

  void Abort(const absl::Status& status) override {
    absl::MutexLock lock(&mu_);
    FinishLocked(status);
  }

 private:
  // The end of a watch that ran max_stream_seconds: it resumes after the
  // last message sent (what is queued is dropped).
  absl::Status DeadlineExceeded() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return absl::DeadlineExceededError(absl::StrCat(
        "a watch may run at most ",
        absl::FormatDuration(service_->limits_.max_stream_duration),
        " (max_stream_seconds); resume from revision ", sent_revision_ + 1));
  }

  // A message without events: complete up to `revision`.
  static WatchMessage Progress(int64_t revision) {
    auto message = std::make_shared<v1::WatchArticlesResponse>();
    message->set_revision(revision);
    const size_t bytes = message->ByteSizeLong();
    return {std::move(message), bytes};
  }

  // Sends the changes from next_ on, read from the store, until the watch
  // has something to write or has joined the hub.
  void CatchUp() {
    for (;;) {
      int64_t next = 0;
      {
        absl::MutexLock lock(&mu_);
        if (done_) return;
        if (absl::Now() >= end_) {
          FinishLocked(DeadlineExceeded());
          return;
        }
        next = next_;
      }
      absl::StatusOr<std::vector<ArticleChange>> changes =
          service_->store_->ReadChanges(next, kWatchChangesPerRead);
      if (changes.ok() && changes->empty()) {
        // Joining marks the watch live under the hub's lock, before the
        // hub can deliver anything to it.
        if (service_->watch_hub_->Join(this, filter_, query_, next)) return;
        continue;  // the hub has moved on: read what it has passed
      }
      absl::MutexLock lock(&mu_);
      if (!changes.ok()) {
        FinishLocked(changes.status());
        return;
      }
      next_ = changes->back().revision + 1;
      std::vector<WatchMessage> messages = WatchMessagesFor(query_, *changes);
      if (!messages.empty()) {
        QueueLocked(messages);
        return;  // OnWriteDone goes on
      }
    }
  }

  void QueueLocked(const std::vector<WatchMessage>& messages)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    if (done_) return;
    for (const WatchMessage& message : messages) {
      queued_bytes_ += message.bytes;
      queue_.push_back(message);
    }
    if (queued_bytes_ > kMaxQueuedBytes) {
      FinishLocked(absl::ResourceExhaustedError(absl::StrCat(
          "the client read the watch more slowly than changes arrived and "
          "fell more than ",
          kMaxQueuedBytes, " bytes behind; resume from revision ",
          sent_revision_ + 1)));
      return;
    }
    if (!writing_ && !queue_.empty()) {
      writing_ = true;
      StartWrite(queue_.front().response.get());
    }
  }

  void FinishLocked(const absl::Status& status)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    if (done_) return;
    done_ = true;
    Finish(ToGrpcStatus(status));
  }

  ArticleServiceImpl* const service_;
  const std::string filter_;
  const absl::Time end_;
  ArticleQuery query_;  // set before the watch can join the hub
  absl::Mutex mu_;
  // The first revision the watch has not read itself.
  int64_t next_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t sent_revision_ ABSL_GUARDED_BY(mu_) = 0;
  std::deque<WatchMessage> queue_ ABSL_GUARDED_BY(mu_);
  size_t queued_bytes_ ABSL_GUARDED_BY(mu_) = 0;
  bool writing_ ABSL_GUARDED_BY(mu_) = false;
  bool live_ ABSL_GUARDED_BY(mu_) = false;
  bool done_ ABSL_GUARDED_BY(mu_) = false;
  absl::Time last_sent_ ABSL_GUARDED_BY(mu_) = absl::Now();
};

grpc::ServerWriteReactor<v1::WatchArticlesResponse>*
ArticleServiceImpl::WatchArticles(grpc::CallbackServerContext* context,
                                  const v1::WatchArticlesRequest* request) {
  return new WatchReactor(this, context, *request);
}

}  // namespace content
