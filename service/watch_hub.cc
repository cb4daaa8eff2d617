#include "service/watch_hub.h"

#include <algorithm>
#include <utility>

#include "absl/time/clock.h"
#include "base/thread_priority.h"

namespace content {
namespace {

// Keeps each message well under clients' default 4 MiB receive limit: a
// message holds more than this only when its one event does.
constexpr size_t kMaxMessageBytes = 1 << 20;
// The hub thread's nice value (0 is the default, 19 the lowest priority).
constexpr int kFanOutNice = 10;
// How long the hub waits for a change before it ticks.
constexpr absl::Duration kTick = absl::Milliseconds(200);

// The event for `change` under `query`, if any.
std::optional<v1::ArticleEvent> EventFor(const ArticleQuery& query,
                                         const ArticleChange& change) {
  v1::ArticleEvent event;
  if (Matches(query, change.article)) {
    event.set_type(change.kind == ArticleChange::Kind::kPut
                       ? v1::ArticleEvent::TYPE_PUT
                       : v1::ArticleEvent::TYPE_DELETE);
  } else if (change.previous.has_value() && Matches(query, *change.previous)) {
    event.set_type(v1::ArticleEvent::TYPE_LEFT_FILTER);
  } else {
    return std::nullopt;
  }
  event.set_revision(change.revision);
  *event.mutable_article() = change.article;
  return event;
}

}  // namespace

std::vector<WatchMessage> WatchMessagesFor(
    const ArticleQuery& query, const std::vector<ArticleChange>& changes) {
  std::vector<WatchMessage> messages;
  auto message = std::make_shared<v1::WatchArticlesResponse>();
  size_t message_bytes = 0;
  const auto close = [&](int64_t revision) {
    message->set_revision(revision);
    const size_t bytes = message->ByteSizeLong();
    messages.push_back({std::move(message), bytes});
    message = std::make_shared<v1::WatchArticlesResponse>();
    message_bytes = 0;
  };
  for (const ArticleChange& change : changes) {
    std::optional<v1::ArticleEvent> event = EventFor(query, change);
    if (!event.has_value()) continue;
    const size_t event_bytes = event->ByteSizeLong();
    if (message->events_size() > 0 &&
        message_bytes + event_bytes > kMaxMessageBytes) {
      close(change.revision - 1);  // everything before this revision is in
    }
    message_bytes += event_bytes;
    *message->add_events() = *std::move(event);
  }
  if (message->events_size() > 0) close(changes.back().revision);
  return messages;
}

WatchHub::WatchHub(ArticleStore* store)
    : store_(store), next_(store->LastRevision() + 1) {
  thread_ = std::thread([this] { Run(); });
}

WatchHub::~WatchHub() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  thread_.join();
}

bool WatchHub::Join(WatchSubscriber* subscriber, const std::string& filter,
                    const ArticleQuery& query, int64_t next) {
  absl::MutexLock lock(&mu_);
  // Idle, the hub has not followed the feed: it starts from its end.
  if (groups_.empty()) next_ = store_->LastRevision() + 1;
  if (next < next_) return false;
  Group& group = groups_[filter];
  if (group.members.empty()) group.query = query;
  group.members.push_back(subscriber);
  filters_[subscriber] = filter;
  subscriber->OnJoined();
  return true;
}

void WatchHub::Leave(WatchSubscriber* subscriber) {
  absl::MutexLock lock(&mu_);
  const auto found = filters_.find(subscriber);
  if (found == filters_.end()) return;
  const auto group = groups_.find(found->second);
  std::vector<WatchSubscriber*>& members = group->second.members;
  members.erase(std::find(members.begin(), members.end(), subscriber));
  if (members.empty()) groups_.erase(group);
  filters_.erase(found);
}

void WatchHub::Run() {
  // Fan-out is background work: the writes it serves come first. The
  // writes to the streams it starts run on this thread too.
  SetCurrentThreadNice(kFanOutNice);
  for (;;) {
    int64_t next = 0;
    {
      absl::MutexLock lock(&mu_);
      // Idle, the hub sleeps instead of waking at every write.
      const auto busy = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
        return stopping_ || !groups_.empty();
      };
      mu_.Await(absl::Condition(&busy));
      if (stopping_) return;
      next = next_;
    }
    store_->WaitForRevision(next, absl::Now() + kTick);
    DeliverNext();
  }
}

void WatchHub::DeliverNext() {
  absl::MutexLock lock(&mu_);
  if (groups_.empty()) return;
  // Reads under the lock, so that Join and Leave see whole batches; the
  // store's reads of the recent feed are served from memory.
  absl::StatusOr<std::vector<ArticleChange>> changes =
      store_->ReadChanges(next_, kWatchChangesPerRead);
  if (!changes.ok()) {
    // Every watch ends; they leave the hub now, so it does not read again
    // until one joins.
    for (const auto& [subscriber, filter] : filters_) {
      subscriber->Abort(changes.status());
    }
    groups_.clear();
    filters_.clear();
    return;
  }
  if (!changes->empty()) {
    for (const auto& [filter, group] : groups_) {
      const std::vector<WatchMessage> messages =
          WatchMessagesFor(group.query, *changes);
      if (messages.empty()) continue;
      for (WatchSubscriber* subscriber : group.members) {
        subscriber->Deliver(messages);
      }
    }
    next_ = changes->back().revision + 1;
  }
  const absl::Time now = absl::Now();
  if (now - last_tick_ < kTick) return;
  last_tick_ = now;
  for (const auto& [subscriber, filter] : filters_) {
    subscriber->Tick(now, next_ - 1);
  }
}

}  // namespace content
