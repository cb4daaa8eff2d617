#ifndef CONTENT_CLIENT_ARTICLE_IMPORTER_H_
#define CONTENT_CLIENT_ARTICLE_IMPORTER_H_

#include <memory>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "content/v1/article_service.grpc.pb.h"

namespace content {

// One ImportArticles stream: articles go out in batches as they are added,
// so memory stays bounded however many are imported.
//
//   ArticleImporter importer(stub, absl::Hours(1), 500);
//   for (...) {
//     absl::Status added = importer.Add(std::move(article));
//     if (absl::IsFailedPrecondition(added)) break;  // the stream failed
//     ...  // else INVALID_ARGUMENT: that article was not sent
//   }
//   absl::StatusOr<v1::ImportArticlesResponse> summary = importer.Finish();
//
// Not thread-safe.
class ArticleImporter {
 public:
  // Messages stay under this many bytes (when their articles allow), well
  // inside the server's default 4 MiB limit.
  static constexpr size_t kMaxBatchBytes = 1 << 20;

  // Opens the stream with a deadline of `timeout` for the whole import.
  ArticleImporter(v1::ArticleService::StubInterface* stub,
                  absl::Duration timeout, int batch_size);

  // Queues `article`, sending a batch first if adding it would pass
  // kMaxBatchBytes, and after it once `batch_size` are queued. Returns
  // INVALID_ARGUMENT naming the field (CheckUtf8Fields) for an article that
  // protobuf cannot send: it is not queued, and the stream goes on.
  // FAILED_PRECONDITION once the stream has failed; Finish() then says why.
  absl::Status Add(v1::Article article);

  // Sends what is queued, closes the stream and returns the server's
  // summary, or the status that ended the stream.
  absl::StatusOr<v1::ImportArticlesResponse> Finish();

 private:
  bool Flush();

  grpc::ClientContext context_;
  v1::ImportArticlesResponse response_;
  std::unique_ptr<grpc::ClientWriterInterface<v1::ImportArticlesRequest>>
      writer_;
  v1::ImportArticlesRequest pending_;
  size_t pending_bytes_ = 0;
  const int batch_size_;
  bool broken_ = false;
};

}  // namespace content

#endif  // CONTENT_CLIENT_ARTICLE_IMPORTER_H_
