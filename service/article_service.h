#ifndef CONTENT_SERVICE_ARTICLE_SERVICE_H_
#define CONTENT_SERVICE_ARTICLE_SERVICE_H_

#include <atomic>

#include "absl/time/time.h"
#include "content/v1/article_service.grpc.pb.h"
#include "service/access_policy.h"
#include "service/article_validator.h"
#include "service/page_token.h"
#include "service/watch_hub.h"
#include "service/work_queue.h"
#include "storage/article_store.h"
#include "url/canonical_url.h"

namespace content {

// Request metadata with which a read asks a replica (replicated mode) for
// its local state as it is, without first catching up with writes
// acknowledged elsewhere: "content-read-consistency: local". Without it a
// read reflects every write acknowledged before it started, on any replica.
inline constexpr char kReadConsistencyHeader[] = "content-read-consistency";

// Request limits of the service beyond those on one article.
struct ServiceLimits {
  ArticleLimits article;
  int max_batch_size = 100;  // URLs in one BatchGetArticles
  int default_page_size = 50;
  int max_page_size = 1000;        // larger requests are served this many
  int max_import_batch = 1000;     // articles in one ImportArticles message
  int max_import_failures = 1000;  // failures listed in its summary
  // Largest response message the service builds: what a client with gRPC's
  // default receive limit (4 MiB) accepts. List pages end before it; a
  // BatchGet beyond it is RESOURCE_EXHAUSTED.
  size_t max_response_bytes = 4 << 20;
  // Longest a stream may run, whatever deadline the client set.
  absl::Duration max_stream_duration = absl::Hours(1);
  // How often an idle WatchArticles stream gets a progress message.
  absl::Duration watch_progress_interval = absl::Seconds(10);
};

// content.v1.ArticleService: authorizes each call (reads need the read
// role, writes the write role), validates the request, canonicalises URLs,
// calls the store and maps its result to a gRPC status (see rich_status.h).
// Holds no state of its own; thread-safe because its collaborators are.
//
// GetArticle, BatchGetArticles, ListArticles and ListReferencingArticles
// are raw callback methods: stored articles go out as the response without
// being parsed and serialized again (unless a read mask asks for part of them).
// A Get runs on gRPC's callback thread while at most two others do; the
// other reads run on worker threads (queries at a lower priority), so that
// health checks and cheap reads never queue behind costly or blocked ones.
// ImportArticles is a raw callback stream (see article_import.cc) and
// WatchArticles a callback stream fed by a WatchHub (article_watch.cc): an open
// watch holds no thread. Put, Update and Delete use the synchronous API.
using ArticleServiceBase = v1::ArticleService::WithRawCallbackMethod_GetArticle<
    v1::ArticleService::WithRawCallbackMethod_BatchGetArticles<
        v1::ArticleService::WithRawCallbackMethod_ListArticles<
            v1::ArticleService::WithRawCallbackMethod_ListReferencingArticles<
                v1::ArticleService::WithRawCallbackMethod_ImportArticles<
                    v1::ArticleService::WithCallbackMethod_WatchArticles<
                        v1::ArticleService::Service>>>>>>;

class ArticleServiceImpl final : public ArticleServiceBase {
 public:
  // All pointers are borrowed and must outlive the service; `watch_hub`
  // follows `store`.
  ArticleServiceImpl(ArticleStore* store, WatchHub* watch_hub,
                     const UrlCanonicalizer* canonicalizer,
                     const PageTokenCodec* page_tokens,
                     const AccessPolicy* access, ServiceLimits limits);

  grpc::ServerUnaryReactor* GetArticle(grpc::CallbackServerContext* context,
                                       const grpc::ByteBuffer* request,
                                       grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* BatchGetArticles(
      grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
      grpc::ByteBuffer* response) override;
  grpc::Status PutArticle(grpc::ServerContext* context,
                          const v1::PutArticleRequest* request,
                          v1::PutArticleResponse* response) override;
  grpc::Status UpdateArticle(grpc::ServerContext* context,
                             const v1::UpdateArticleRequest* request,
                             v1::UpdateArticleResponse* response) override;
  grpc::Status DeleteArticle(grpc::ServerContext* context,
                             const v1::DeleteArticleRequest* request,
                             v1::DeleteArticleResponse* response) override;
  grpc::ServerUnaryReactor* ListArticles(grpc::CallbackServerContext* context,
                                         const grpc::ByteBuffer* request,
                                         grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* ListReferencingArticles(
      grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
      grpc::ByteBuffer* response) override;
  // In article_watch.cc.
  grpc::ServerWriteReactor<v1::WatchArticlesResponse>* WatchArticles(
      grpc::CallbackServerContext* context,
      const v1::WatchArticlesRequest* request) override;
  // In article_import.cc.
  grpc::ServerReadReactor<grpc::ByteBuffer>* ImportArticles(
      grpc::CallbackServerContext* context,
      grpc::ByteBuffer* response) override;

 private:
  class ImportReactor;
  class WatchReactor;

  // The store key for request field `field`, or INVALID_ARGUMENT naming it.
  absl::StatusOr<std::string> KeyOf(absl::string_view field,
                                    const std::string& url) const;

  // A raw method's work: a serialized request in, a serialized response out.
  using RawAnswer = absl::Status (ArticleServiceImpl::*)(
      const grpc::ByteBuffer& request, grpc::ByteBuffer* response);
  // kPoint: reads a few keys. kQuery: may read and parse many.
  enum class ReadCost { kPoint, kQuery };
  // Authorizes a read, runs `answer` and finishes the call with its status:
  // on the callback thread, on a point-read worker or on a query worker
  // (see article_service.cc); RESOURCE_EXHAUSTED when too many wait.
  grpc::ServerUnaryReactor* AnswerRead(grpc::CallbackServerContext* context,
                                       const grpc::ByteBuffer& request,
                                       grpc::ByteBuffer* response,
                                       RawAnswer answer, ReadCost cost);

  // Answers a serialized GetArticleRequest with a serialized
  // GetArticleResponse in `response`.
  absl::Status Get(const grpc::ByteBuffer& request, grpc::ByteBuffer* response);
  absl::Status BatchGet(const grpc::ByteBuffer& request,
                        grpc::ByteBuffer* response);
  absl::Status Put(const v1::PutArticleRequest& request,
                   v1::PutArticleResponse* response);
  absl::Status Update(const v1::UpdateArticleRequest& request,
                      v1::UpdateArticleResponse* response);
  absl::Status Delete(const v1::DeleteArticleRequest& request);
  // Answer serialized requests with serialized responses.
  absl::Status List(const grpc::ByteBuffer& request,
                    grpc::ByteBuffer* response);
  absl::Status ListReferencing(const grpc::ByteBuffer& request,
                               grpc::ByteBuffer* response);
  // The page limits and start position of a List request whose page token
  // must belong to the query `scope`.
  struct PageRequest {
    PageLimits limit;
    std::string start_after;
  };
  absl::StatusOr<PageRequest> ReadPageRequest(int32_t page_size,
                                              const std::string& page_token,
                                              absl::string_view scope) const;
  // Sets `response` to `page` as a serialized ListArticlesResponse (or
  // ListReferencingArticlesResponse: same fields), its articles trimmed to
  // `read_mask`; or returns the error of the read that made the page.
  absl::Status RespondWithPage(absl::StatusOr<QueryPage> page,
                               const google::protobuf::FieldMask& read_mask,
                               absl::string_view scope,
                               grpc::ByteBuffer* response) const;
  // Stores one request of an import stream (consuming its articles) whose
  // first article has stream position `first_index`, adding to the summary
  // in `response`.
  absl::Status ImportBatch(v1::ImportArticlesRequest* request,
                           int64_t first_index,
                           v1::ImportArticlesResponse* response);

  ArticleStore* const store_;
  WatchHub* const watch_hub_;
  const UrlCanonicalizer* const canonicalizer_;
  const PageTokenCodec* const page_tokens_;
  const AccessPolicy* const access_;
  const ServiceLimits limits_;
  std::atomic<int> inline_reads_{0};
  WorkQueue point_reads_;
  WorkQueue queries_;
  WorkQueue imports_;  // ImportArticles' store writes
};

}  // namespace content

#endif  // CONTENT_SERVICE_ARTICLE_SERVICE_H_
