// ArticleServiceImpl::WatchArticles: the change feed over gRPC.

#include <algorithm>
#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "service/article_service.h"
#include "service/list_query.h"
#include "service/rich_status.h"

namespace content {
namespace {

constexpr size_t kChangesPerRead = 256;
// Keeps each message well under clients' default 4 MiB receive limit: a
// message holds more than this only when its one event does.
constexpr size_t kMaxResponseBytes = 1 << 20;
// How long the stream waits for a change before it looks for cancellation.
constexpr absl::Duration kIdleCheck = absl::Milliseconds(200);

// The event a watch with `query` sends for `change`, if any: the change
// itself when it matches; LEFT_FILTER for a put that takes an article out
// of the matching set.
std::optional<v1::ArticleEvent> EventFor(const ArticleQuery& query,
                                         ArticleChange change) {
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
  *event.mutable_article() = std::move(change.article);
  return event;
}

}  // namespace

grpc::Status ArticleServiceImpl::WatchArticles(
    grpc::ServerContext* context, const v1::WatchArticlesRequest* request,
    grpc::ServerWriter<v1::WatchArticlesResponse>* writer) {
  absl::Status status = access_->Authorize(*context, Role::kRead);
  if (status.ok()) status = Watch(context, *request, writer);
  return ToGrpcStatus(status);
}

absl::Status ArticleServiceImpl::Watch(
    grpc::ServerContext* context, const v1::WatchArticlesRequest& request,
    grpc::ServerWriter<v1::WatchArticlesResponse>* writer) {
  if (request.start_revision() < 0) {
    return InvalidArgument({{"start_revision", "must not be negative"}});
  }
  absl::StatusOr<ArticleQuery> query = ParseFilter(request.filter());
  if (!query.ok()) {
    return InvalidArgument({{"filter", std::string(query.status().message())}});
  }
  int64_t next = request.start_revision() == 0 ? store_->LastRevision() + 1
                                               : request.start_revision();
  const absl::Time end = absl::Now() + limits_.max_stream_duration;
  const absl::Status gone =
      absl::CancelledError("the client went away or cancelled the watch");

  // Sends `response` as a message complete up to `revision`.
  v1::WatchArticlesResponse response;
  absl::Time last_sent;
  auto send = [&](int64_t revision) {
    response.set_revision(revision);
    const bool sent = writer->Write(response);
    response.Clear();
    last_sent = absl::Now();
    return sent;
  };
  // The first message says where the watch starts.
  if (!send(next - 1)) return gone;

  while (true) {
    if (context->IsCancelled()) return gone;
    if (absl::Now() >= end) {
      return absl::DeadlineExceededError(
          absl::StrCat("a watch may run at most ",
                       absl::FormatDuration(limits_.max_stream_duration),
                       " (max_stream_seconds); resume from revision ", next));
    }
    absl::StatusOr<std::vector<ArticleChange>> changes =
        store_->ReadChanges(next, kChangesPerRead);
    if (!changes.ok()) return changes.status();
    if (changes->empty()) {
      const absl::Time progress_due =
          last_sent + limits_.watch_progress_interval;
      if (absl::Now() >= progress_due) {
        if (!send(next - 1)) return gone;
        continue;
      }
      store_->WaitForRevision(
          next, std::min({absl::Now() + kIdleCheck, progress_due, end}));
      continue;
    }
    size_t response_bytes = 0;
    for (ArticleChange& change : *changes) {
      const int64_t revision = change.revision;
      std::optional<v1::ArticleEvent> event =
          EventFor(*query, std::move(change));
      if (!event.has_value()) continue;
      const size_t event_bytes = event->ByteSizeLong();
      if (response.events_size() > 0 &&
          response_bytes + event_bytes > kMaxResponseBytes) {
        // Everything before `revision` is in: the message is complete up
        // to the revision before it.
        if (!send(revision - 1)) return gone;
        response_bytes = 0;
      }
      response_bytes += event_bytes;
      *response.add_events() = *std::move(event);
    }
    // Reads return whole revisions, so everything up to the last is sent.
    const int64_t last = changes->back().revision;
    if (response.events_size() > 0 ||
        absl::Now() >= last_sent + limits_.watch_progress_interval) {
      if (!send(last)) return gone;
    }
    next = last + 1;
  }
}

}  // namespace content
