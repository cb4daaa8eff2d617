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
#include "grpcpp/client_context.h"

namespace content {

struct ArticleClientOptions {
  // Deadline of every call, counted from its start (retries included).
  absl::Duration timeout = absl::Seconds(10);
  // Deadline of a whole ImportArticles stream.
  absl::Duration import_timeout = absl::Hours(1);
};

class ArticlePager;
class ArticleWatch;

// Which articles a listing returns, in what order, how many per call; see
// ListArticlesRequest for the filter language and the orders.
struct ListQuery {
  int page_size = 0;  // 0: the server's default
  std::string filter;
  std::string order_by;
};

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

  // Stores `article` and returns it as stored. With `create_only`, fails
  // with ALREADY_EXISTS if an article is stored under its URL.
  absl::StatusOr<v1::Article> PutArticle(const v1::Article& article,
                                         bool create_only = false);

  // Changes the fields `paths` names (all set fields when empty, "*" for
  // all) of the article under `article.web_url` and returns it as stored;
  // with `article.etag` set, only if it is still that version.
  absl::StatusOr<v1::Article> UpdateArticle(
      const v1::Article& article, absl::Span<const std::string> paths);

  // Deletes the article under `url`; with a non-empty `etag`, only if it is
  // still that version (ABORTED otherwise).
  absl::Status DeleteArticle(absl::string_view url,
                             absl::string_view etag = "");

  // One page of the listing.
  absl::StatusOr<v1::ListArticlesResponse> ListArticles(
      const ListQuery& query, absl::string_view page_token);

  // Walks the whole listing, page by page.
  ArticlePager ListAllArticles(ListQuery query);

  // One page of the articles whose related items point at `url`.
  absl::StatusOr<v1::ListReferencingArticlesResponse> ListReferencingArticles(
      absl::string_view url, int page_size, absl::string_view page_token);

  // Opens a change feed from `start_revision` (0: from now on) of the
  // changes `filter` selects. It has no deadline: cancel it to stop.
  std::unique_ptr<ArticleWatch> WatchArticles(int64_t start_revision,
                                              absl::string_view filter);

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
//   ArticlePager pager = client.ListAllArticles(ListQuery{100, "topics:AI"});
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
  ArticlePager(ArticleClient* client, ListQuery query)
      : client_(client), query_(std::move(query)) {}

  ArticleClient* client_;
  ListQuery query_;
  std::string page_token_;
  bool done_ = false;
};

// An open WatchArticles stream. Next blocks; Cancel may be called from any
// thread to make it return false.
class ArticleWatch {
 public:
  // The next message (events, or progress without events); false once the
  // stream has ended, and then Finish says why.
  bool Next(v1::WatchArticlesResponse* response);
  void Cancel();
  // How the stream ended; call after Next returned false.
  absl::Status Finish();

 private:
  friend class ArticleClient;
  ArticleWatch() = default;

  grpc::ClientContext context_;
  std::unique_ptr<grpc::ClientReader<v1::WatchArticlesResponse>> reader_;
};

}  // namespace content

#endif  // CONTENT_CLIENT_ARTICLE_CLIENT_H_
