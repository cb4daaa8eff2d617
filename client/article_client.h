#ifndef CONTENT_CLIENT_ARTICLE_CLIENT_H_
#define CONTENT_CLIENT_ARTICLE_CLIENT_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "client/article_channel.h"
#include "client/article_importer.h"
#include "content/v1/article_service.grpc.pb.h"
#include "grpcpp/channel.h"

namespace content {

struct ArticleClientOptions {
  // Deadline of every call, counted from its start (retries included).
  absl::Duration timeout = absl::Seconds(10);
  // Deadline of a whole ImportArticles stream.
  absl::Duration import_timeout = absl::Hours(1);
};

class ArticlePager;

// Typed access to content.v1.ArticleService. Every method makes one call
// with a deadline and returns the server's status, with its details (see
// status_conversion.h). Never prints.
//
// Thread-safe: share one client (or one channel) between threads.
class ArticleClient {
 public:
  explicit ArticleClient(std::shared_ptr<grpc::Channel> channel,
                         ArticleClientOptions options = {});

  // The article stored under `url`'s canonical form; NOT_FOUND if none.
  absl::StatusOr<v1::Article> GetArticle(absl::string_view url);

  // The articles of `urls`, in order; NOT_FOUND if any is missing.
  absl::StatusOr<std::vector<v1::Article>> BatchGetArticles(
      absl::Span<const std::string> urls);

  // Stores `article` and returns it as stored.
  absl::StatusOr<v1::Article> PutArticle(const v1::Article& article);

  // Deletes the article under `url`; with a non-empty `etag`, only if it is
  // still that version (ABORTED otherwise).
  absl::Status DeleteArticle(absl::string_view url,
                             absl::string_view etag = "");

  // One page of the listing.
  absl::StatusOr<v1::ListArticlesResponse> ListArticles(
      int page_size, absl::string_view page_token);

  // Walks the whole listing, `page_size` articles per call.
  ArticlePager ListAllArticles(int page_size);

  // Opens an ImportArticles stream that sends `batch_size` articles per
  // message. The client must outlive the importer.
  std::unique_ptr<ArticleImporter> StartImport(int batch_size = 500);

 private:
  std::unique_ptr<grpc::ClientContext> NewContext() const;

  std::unique_ptr<v1::ArticleService::Stub> stub_;
  ArticleClientOptions options_;
};

// Follows next_page_token from page to page. Not thread-safe.
//
//   ArticlePager pager = client.ListAllArticles(100);
//   while (pager.HasNext()) {
//     absl::StatusOr<std::vector<v1::Article>> page = pager.NextPage();
//     if (!page.ok()) return page.status();
//     ...
//   }
class ArticlePager {
 public:
  // True until a page without a next_page_token has been returned, or a call
  // failed.
  bool HasNext() const { return !done_; }

  // Fetches the next page. After an error HasNext() is false.
  absl::StatusOr<std::vector<v1::Article>> NextPage();

 private:
  friend class ArticleClient;
  ArticlePager(ArticleClient* client, int page_size)
      : client_(client), page_size_(page_size) {}

  ArticleClient* client_;
  int page_size_;
  std::string page_token_;
  bool done_ = false;
};

}  // namespace content

#endif  // CONTENT_CLIENT_ARTICLE_CLIENT_H_
