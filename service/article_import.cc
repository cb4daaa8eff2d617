// ArticleServiceImpl::ImportArticles: a raw callback client stream.
//
// It reads raw messages and parses each itself, because a message that does
// not parse (a string that is not UTF-8, say) must end the stream with
// INVALID_ARGUMENT: the synchronous API reports such a message as the end of
// the stream, and the import would then answer OK for articles it never
// stored.

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "grpcpp/support/byte_buffer.h"
#include "service/article_service.h"
#include "service/raw_messages.h"
#include "service/rich_status.h"

namespace content {

// Stores each request of one stream as it arrives, adding to the summary.
// The store writes (group-committed, fsynced) run on the service's import
// workers, one message of a stream at a time, never on the callback thread
// that delivered the message: that one serves health checks and reads.
class ArticleServiceImpl::ImportReactor final
    : public grpc::ServerReadReactor<grpc::ByteBuffer> {
 public:
  ImportReactor(ArticleServiceImpl* service,
                grpc::CallbackServerContext* context,
                grpc::ByteBuffer* response)
      : service_(service),
        response_(response),
        end_(absl::Now() + service->limits_.max_stream_duration) {
    const absl::Status allowed =
        service_->access_->Authorize(*context, Role::kWrite);
    if (!allowed.ok()) {
      Finish(ToGrpcStatus(allowed));
      return;
    }
    StartRead(&message_);
  }

  void OnReadDone(bool ok) override {
    if (!ok) {  // the client closed its side, or the call ended
      grpc::Slice summary(summary_.SerializeAsString());
      *response_ = grpc::ByteBuffer(&summary, 1);
      Finish(grpc::Status::OK);
      return;
    }
    const bool queued = service_->imports_.TrySchedule([this] {
      const absl::Status status = StoreMessage();
      if (!status.ok()) {
        Finish(ToGrpcStatus(status));
        return;
      }
      ++messages_;
      StartRead(&message_);
    });
    if (!queued) {
      Finish(ToGrpcStatus(absl::ResourceExhaustedError(
          "the server has too many import messages waiting; retry with "
          "backoff")));
    }
  }

  void OnDone() override { delete this; }

 private:
  absl::Status StoreMessage() {
    if (absl::Now() > end_) {
      return absl::DeadlineExceededError(absl::StrCat(
          "an import stream may run at most ",
          absl::FormatDuration(service_->limits_.max_stream_duration),
          " (max_stream_seconds); the articles of the messages before this "
          "one are stored"));
    }
    v1::ImportArticlesRequest request;
    const absl::Status parsed = ParseRequest(message_, &request);
    message_.Clear();
    if (!parsed.ok()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "message ", messages_ + 1, " of the stream (articles from #",
          next_index_, " on): ", parsed.message(),
          "; the articles of the messages before it are stored"));
    }
    const int size = request.articles_size();
    const absl::Status stored =
        service_->ImportBatch(&request, next_index_, &summary_);
    next_index_ += size;
    return stored;
  }

  ArticleServiceImpl* const service_;
  grpc::ByteBuffer* const response_;
  const absl::Time end_;
  grpc::ByteBuffer message_;
  v1::ImportArticlesResponse summary_;
  int64_t next_index_ = 0;
  int64_t messages_ = 0;
};

grpc::ServerReadReactor<grpc::ByteBuffer>* ArticleServiceImpl::ImportArticles(
    grpc::CallbackServerContext* context, grpc::ByteBuffer* response) {
  return new ImportReactor(this, context, response);
}

}  // namespace content
