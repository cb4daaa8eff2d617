#include "client/article_importer.h"

#include <utility>

#include "absl/time/clock.h"
#include "client/status_conversion.h"
#include "client/utf8_fields.h"

namespace content {

ArticleImporter::ArticleImporter(v1::ArticleService::StubInterface* stub,
                                 absl::Duration timeout, int batch_size)
    : batch_size_(batch_size) {
  context_.set_deadline(absl::ToChronoTime(absl::Now() + timeout));
  writer_ = stub->ImportArticles(&context_, &response_);
}

absl::Status ArticleImporter::Add(v1::Article article) {
  const absl::Status broken = absl::FailedPreconditionError(
      "the import stream has failed; Finish() says why");
  if (broken_) return broken;
  absl::Status sendable = CheckUtf8Fields(article, "article");
  if (!sendable.ok()) return sendable;
  const size_t bytes = article.ByteSizeLong();
  if (pending_bytes_ + bytes > kMaxBatchBytes && !Flush()) return broken;
  *pending_.add_articles() = std::move(article);
  pending_bytes_ += bytes;
  if (pending_.articles_size() >= batch_size_ && !Flush()) return broken;
  return absl::OkStatus();
}

bool ArticleImporter::Flush() {
  if (pending_.articles().empty()) return true;
  broken_ = !writer_->Write(pending_);
  pending_.Clear();
  pending_bytes_ = 0;
  return !broken_;
}

absl::StatusOr<v1::ImportArticlesResponse> ArticleImporter::Finish() {
  if (!broken_) Flush();
  writer_->WritesDone();
  const grpc::Status status = writer_->Finish();
  if (!status.ok()) return FromGrpcStatus(status);
  return std::move(response_);
}

}  // namespace content
