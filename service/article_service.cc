#include "service/article_service.h"

#include <algorithm>
#include <random>
#include <thread>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "grpcpp/support/byte_buffer.h"
#include "service/article_masks.h"
#include "service/list_query.h"
#include "service/raw_messages.h"
#include "service/rich_status.h"

namespace content {
namespace {

absl::Status InvalidField(absl::string_view field, std::string description) {
  return InvalidArgument({{std::string(field), std::move(description)}});
}

// Retries of UpdateArticle's read-modify-write when another writer changes
// the article in between and the client gave no etag.
constexpr int kUpdateAttempts = 10;

// Room in a response for what is not article bytes: each article's tag and
// length (at most 6 bytes, for up to max_page_size articles), the page token
// and the revision.
constexpr size_t kResponseFramingBytes = 16 << 10;

// Point reads running on callback threads at once; more wait for a worker.
constexpr int kMaxInlineReads = 2;

// Longest a read waits for its replica to catch up with the log.
constexpr absl::Duration kMaxReadSyncWait = absl::Seconds(10);

// Whether the call carries kReadConsistencyHeader: local.
bool AsksForLocalRead(const grpc::CallbackServerContext& context) {
  const auto& metadata = context.client_metadata();
  const auto it = metadata.find(kReadConsistencyHeader);
  return it != metadata.end() &&
         absl::string_view(it->second.data(), it->second.size()) == "local";
}
// Workers for point reads beyond those: enough to overlap slow disk reads.
constexpr int kPointReadThreads = 8;
// Query workers: one per core. More only lengthen the run queue that health
// checks and point reads wait in (8 on 2 cores: health p50 under a costly
// List load 15-28 ms instead of 1.3-3 ms, and no more Lists served).
int QueryThreads() {
  return static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
}
// Import streams storing a message at once (a stream stores one at a
// time), and messages waiting for them; more are RESOURCE_EXHAUSTED.
constexpr int kImportThreads = 4;
constexpr size_t kMaxQueuedImports = 256;
// Reads waiting for a worker, per queue; more are RESOURCE_EXHAUSTED.
constexpr size_t kMaxQueuedReads = 1000;

// A length-delimited field's tag and length, at most.
constexpr size_t kArticleFramingBytes = 6;

// Tells one List query from another in page tokens.
std::string ListScope(absl::string_view filter, absl::string_view order_by) {
  return absl::StrCat("list ", filter.size(), ":", filter, order_by);
}

}  // namespace

ArticleServiceImpl::ArticleServiceImpl(ArticleStore* store, WatchHub* watch_hub,
                                       const UrlCanonicalizer* canonicalizer,
                                       const PageTokenCodec* page_tokens,
                                       const AccessPolicy* access,
                                       ServiceLimits limits)
    : store_(store),
      watch_hub_(watch_hub),
      canonicalizer_(canonicalizer),
      page_tokens_(page_tokens),
      access_(access),
      limits_(std::move(limits)),
      point_reads_(kPointReadThreads, /*nice=*/0, kMaxQueuedReads),
      queries_(QueryThreads(), /*nice=*/0, kMaxQueuedReads),
      imports_(kImportThreads, /*nice=*/0, kMaxQueuedImports) {}

grpc::ServerUnaryReactor* ArticleServiceImpl::AnswerRead(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer& request,
    grpc::ByteBuffer* response, RawAnswer answer, ReadCost cost) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  const absl::Status allowed = access_->Authorize(*context, Role::kRead);
  if (!allowed.ok()) {
    reactor->Finish(ToGrpcStatus(allowed));
    return reactor;
  }
  // A replica (replicated mode) first waits until it holds every write
  // acknowledged before the call, unless the caller asks for its local
  // state as it is.
  const bool sync = store_->SyncReadsBlocks() && !AsksForLocalRead(*context);
  const absl::Time deadline =
      sync ? std::min(absl::FromChrono(context->deadline()),
                      absl::Now() + kMaxReadSyncWait)
           : absl::InfinitePast();
  const auto run = [this, reactor, &request, response, answer, sync, deadline] {
    absl::Status status = sync ? store_->SyncReads(deadline) : absl::OkStatus();
    if (status.ok()) status = (this->*answer)(request, response);
    reactor->Finish(ToGrpcStatus(status));
  };
  // A point read runs here, on the callback thread, while few others do:
  // usually it is served from memory at once. Past that, for queries, and
  // for reads that wait for the log, the read waits for a worker, so that
  // blocked or costly reads never hold every callback thread.
  const bool may_run_inline = cost == ReadCost::kPoint && !sync;
  if (may_run_inline &&
      inline_reads_.fetch_add(1, std::memory_order_relaxed) < kMaxInlineReads) {
    run();
    inline_reads_.fetch_sub(1, std::memory_order_relaxed);
    return reactor;
  }
  if (may_run_inline) inline_reads_.fetch_sub(1, std::memory_order_relaxed);
  WorkQueue& queue = cost == ReadCost::kPoint ? point_reads_ : queries_;
  if (!queue.TrySchedule(run)) {
    reactor->Finish(ToGrpcStatus(absl::ResourceExhaustedError(
        "the server has too many reads waiting; retry with backoff")));
  }
  return reactor;
}

grpc::ServerUnaryReactor* ArticleServiceImpl::GetArticle(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
    grpc::ByteBuffer* response) {
  return AnswerRead(context, *request, response, &ArticleServiceImpl::Get,
                    ReadCost::kPoint);
}

grpc::ServerUnaryReactor* ArticleServiceImpl::ListArticles(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
    grpc::ByteBuffer* response) {
  return AnswerRead(context, *request, response, &ArticleServiceImpl::List,
                    ReadCost::kQuery);
}

grpc::ServerUnaryReactor* ArticleServiceImpl::ListReferencingArticles(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
    grpc::ByteBuffer* response) {
  return AnswerRead(context, *request, response,
                    &ArticleServiceImpl::ListReferencing, ReadCost::kQuery);
}

grpc::ServerUnaryReactor* ArticleServiceImpl::BatchGetArticles(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
    grpc::ByteBuffer* response) {
  return AnswerRead(context, *request, response, &ArticleServiceImpl::BatchGet,
                    ReadCost::kQuery);
}

grpc::Status ArticleServiceImpl::PutArticle(
    grpc::ServerContext* context, const v1::PutArticleRequest* request,
    v1::PutArticleResponse* response) {
  absl::Status status = access_->Authorize(*context, Role::kWrite);
  if (status.ok()) status = Put(*request, response);
  return ToGrpcStatus(status);
}

grpc::Status ArticleServiceImpl::UpdateArticle(
    grpc::ServerContext* context, const v1::UpdateArticleRequest* request,
    v1::UpdateArticleResponse* response) {
  absl::Status status = access_->Authorize(*context, Role::kWrite);
  if (status.ok()) status = Update(*request, response);
  return ToGrpcStatus(status);
}

grpc::Status ArticleServiceImpl::DeleteArticle(
    grpc::ServerContext* context, const v1::DeleteArticleRequest* request,
    v1::DeleteArticleResponse*) {
  absl::Status status = access_->Authorize(*context, Role::kWrite);
  if (status.ok()) status = Delete(*request);
  return ToGrpcStatus(status);
}

absl::StatusOr<std::string> ArticleServiceImpl::KeyOf(
    absl::string_view field, const std::string& url) const {
  std::vector<FieldViolation> violations;
  std::string key = ValidateUrl(field, url, /*required=*/true, *canonicalizer_,
                                limits_.article, &violations);
  if (!violations.empty()) return InvalidArgument(violations);
  return key;
}

absl::Status ArticleServiceImpl::Get(const grpc::ByteBuffer& request_bytes,
                                     grpc::ByteBuffer* response) {
  v1::GetArticleRequest request;
  absl::Status parsed = ParseRequest(request_bytes, &request);
  if (!parsed.ok()) return parsed;
  absl::StatusOr<std::string> key = KeyOf("url", request.url());
  if (!key.ok()) return key.status();
  absl::StatusOr<google::protobuf::FieldMask> mask =
      NormalizeArticleMask("read_mask", request.read_mask());
  if (!mask.ok()) return mask.status();
  absl::StatusOr<std::string> article = store_->GetSerialized(*key);
  if (absl::IsNotFound(article.status())) {
    return ArticlesNotFound({request.url()});
  }
  if (!article.ok()) return article.status();
  absl::StatusOr<std::string> masked =
      MaskSerialized(*mask, *std::move(article));
  if (!masked.ok()) return masked.status();
  RawMessageBuilder message;
  message.AddLengthDelimited(v1::GetArticleResponse::kArticleFieldNumber,
                             *std::move(masked));
  *response = message.Finish();
  return absl::OkStatus();
}

absl::Status ArticleServiceImpl::BatchGet(const grpc::ByteBuffer& request_bytes,
                                          grpc::ByteBuffer* response) {
  v1::BatchGetArticlesRequest request;
  absl::Status parsed = ParseRequest(request_bytes, &request);
  if (!parsed.ok()) return parsed;
  if (request.urls().empty()) return InvalidField("urls", "is required");
  if (request.urls_size() > limits_.max_batch_size) {
    return InvalidField(
        "urls", absl::StrCat("has ", request.urls_size(), " URLs; at most ",
                             limits_.max_batch_size, " are allowed"));
  }
  std::vector<FieldViolation> violations;
  std::vector<std::string> keys;
  keys.reserve(request.urls_size());
  for (int i = 0; i < request.urls_size(); ++i) {
    keys.push_back(ValidateUrl(absl::StrCat("urls[", i, "]"), request.urls(i),
                               /*required=*/true, *canonicalizer_,
                               limits_.article, &violations));
  }
  if (!violations.empty()) return InvalidArgument(violations);
  absl::StatusOr<google::protobuf::FieldMask> mask =
      NormalizeArticleMask("read_mask", request.read_mask());
  if (!mask.ok()) return mask.status();

  // Each distinct key is read and masked once: a request may name one
  // article many times, and must not cost a copy of it per mention before
  // the size is known.
  std::vector<std::string> distinct = keys;
  std::sort(distinct.begin(), distinct.end());
  distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
  absl::StatusOr<std::vector<std::optional<std::string>>> found =
      store_->MultiGetSerialized(distinct);
  if (!found.ok()) return found.status();
  std::vector<size_t> slots(keys.size());  // request position -> distinct
  std::vector<int> mentions(distinct.size());
  std::vector<std::string> missing;
  for (size_t i = 0; i < keys.size(); ++i) {
    slots[i] = static_cast<size_t>(
        std::lower_bound(distinct.begin(), distinct.end(), keys[i]) -
        distinct.begin());
    ++mentions[slots[i]];
    if (!(*found)[slots[i]].has_value()) missing.push_back(request.urls(i));
  }
  if (!missing.empty()) return ArticlesNotFound(missing);
  std::vector<std::string> articles;
  articles.reserve(distinct.size());
  for (std::optional<std::string>& article : *found) {
    absl::StatusOr<std::string> masked =
        MaskSerialized(*mask, *std::move(article));
    if (!masked.ok()) return masked.status();
    articles.push_back(*std::move(masked));
  }
  size_t response_bytes = 0;
  for (const size_t slot : slots) {
    response_bytes += articles[slot].size() + kArticleFramingBytes;
  }
  if (response_bytes > limits_.max_response_bytes) {
    return absl::ResourceExhaustedError(absl::StrCat(
        "the ", keys.size(), " articles asked for make a response of ",
        response_bytes, " bytes, more than the ", limits_.max_response_bytes,
        " of max_response_bytes; ask for fewer URLs per call, or a "
        "read_mask"));
  }
  RawMessageBuilder message;
  for (const size_t slot : slots) {
    message.AddLengthDelimited(
        v1::BatchGetArticlesResponse::kArticlesFieldNumber,
        --mentions[slot] == 0 ? std::move(articles[slot]) : articles[slot]);
  }
  *response = message.Finish();
  return absl::OkStatus();
}

absl::Status ArticleServiceImpl::Put(const v1::PutArticleRequest& request,
                                     v1::PutArticleResponse* response) {
  if (!request.has_article()) return InvalidField("article", "is required");
  ArticleKeys keys;
  std::vector<FieldViolation> violations = ValidateArticle(
      request.article(), "article", *canonicalizer_, limits_.article, &keys);
  if (!violations.empty()) return InvalidArgument(violations);

  ArticleMutation mutation = PutMutation(request.article(), std::move(keys));
  mutation.expected_etag = request.article().etag();
  mutation.create_only = request.create_only();
  absl::StatusOr<MutationResult> result = store_->WriteOne(std::move(mutation));
  if (absl::IsNotFound(result.status())) {
    return ArticlesNotFound({request.article().web_url()});
  }
  if (!result.ok()) return result.status();
  *response->mutable_article() = std::move(result->article);
  return absl::OkStatus();
}

absl::Status ArticleServiceImpl::Update(const v1::UpdateArticleRequest& request,
                                        v1::UpdateArticleResponse* response) {
  if (!request.has_article()) return InvalidField("article", "is required");
  const v1::Article& update = request.article();
  absl::StatusOr<std::string> key = KeyOf("article.web_url", update.web_url());
  if (!key.ok()) return key.status();
  for (int attempt = 1;; ++attempt) {
    absl::StatusOr<v1::Article> current = store_->Get(*key);
    if (absl::IsNotFound(current.status())) {
      return ArticlesNotFound({update.web_url()});
    }
    if (!current.ok()) return current.status();
    if (!update.etag().empty() && update.etag() != current->etag()) {
      return absl::AbortedError(
          absl::StrCat("etag mismatch for ", update.web_url(), ": expected ",
                       update.etag(), ", stored ", current->etag()));
    }
    const std::string current_etag = current->etag();
    absl::StatusOr<v1::Article> merged =
        ApplyUpdate(*current, update, request.update_mask());
    if (!merged.ok()) return merged.status();
    ArticleKeys keys;
    const std::vector<FieldViolation> violations = ValidateArticle(
        *merged, "article", *canonicalizer_, limits_.article, &keys);
    if (!violations.empty()) return InvalidArgument(violations);
    std::vector<FieldViolation> own_key;
    if (keys.key != ValidateUrl("article.web_url", current->web_url(),
                                /*required=*/true, *canonicalizer_,
                                limits_.article, &own_key)) {
      return InvalidField(
          "article.web_url",
          "names the article to update; an update cannot move it to "
          "another URL (put it under the new one and delete the old)");
    }
    ArticleMutation mutation = PutMutation(*std::move(merged), std::move(keys));
    mutation.expected_etag = current_etag;
    absl::StatusOr<MutationResult> result =
        store_->WriteOne(std::move(mutation));
    if (absl::IsAborted(result.status()) && update.etag().empty() &&
        attempt < kUpdateAttempts) {
      // Changed since we read it: merge into the new version, after a
      // random pause that grows, so that updaters racing in step (in one
      // log entry, say) fall out of step.
      thread_local std::minstd_rand random(std::random_device{}());
      absl::SleepFor(absl::Microseconds(
          std::uniform_int_distribution<int>(0, 200 << attempt)(random)));
      continue;
    }
    if (absl::IsNotFound(result.status())) {
      return ArticlesNotFound({update.web_url()});
    }
    if (!result.ok()) return result.status();
    *response->mutable_article() = std::move(result->article);
    return absl::OkStatus();
  }
}

absl::Status ArticleServiceImpl::Delete(
    const v1::DeleteArticleRequest& request) {
  absl::StatusOr<std::string> key = KeyOf("url", request.url());
  if (!key.ok()) return key.status();
  ArticleMutation mutation;
  mutation.kind = ArticleMutation::Kind::kDelete;
  mutation.key = std::move(*key);
  mutation.expected_etag = request.etag();
  const absl::Status status = store_->WriteOne(std::move(mutation)).status();
  if (absl::IsNotFound(status)) return ArticlesNotFound({request.url()});
  return status;
}

absl::Status ArticleServiceImpl::ImportBatch(
    v1::ImportArticlesRequest* request, int64_t first_index,
    v1::ImportArticlesResponse* response) {
  if (request->articles().empty()) {
    return InvalidField("articles", "is empty");
  }
  if (request->articles_size() > limits_.max_import_batch) {
    return InvalidField(
        "articles",
        absl::StrCat("has ", request->articles_size(), " articles; at most ",
                     limits_.max_import_batch, " are allowed"));
  }
  std::vector<ArticleMutation> mutations;
  mutations.reserve(request->articles_size());
  for (int i = 0; i < request->articles_size(); ++i) {
    v1::Article& article = *request->mutable_articles(i);
    ArticleKeys keys;
    const std::vector<FieldViolation> violations = ValidateArticle(
        article, "article", *canonicalizer_, limits_.article, &keys);
    if (violations.empty()) {
      mutations.push_back(PutMutation(std::move(article), std::move(keys)));
      continue;
    }
    response->set_failed_count(response->failed_count() + 1);
    if (response->failures_size() < limits_.max_import_failures) {
      v1::ImportFailure* failure = response->add_failures();
      failure->set_index(first_index + i);
      failure->set_web_url(article.web_url());
      failure->set_reason(DescribeViolations(violations));
    }
  }
  if (mutations.empty()) return absl::OkStatus();
  absl::StatusOr<std::vector<MutationResult>> results =
      store_->Write(std::move(mutations));
  if (!results.ok()) return results.status();
  for (const MutationResult& result : *results) {
    if (result.created) {
      response->set_created_count(response->created_count() + 1);
    } else if (result.changed) {
      response->set_updated_count(response->updated_count() + 1);
    } else {
      response->set_unchanged_count(response->unchanged_count() + 1);
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<ArticleServiceImpl::PageRequest>
ArticleServiceImpl::ReadPageRequest(int32_t page_size,
                                    const std::string& page_token,
                                    absl::string_view scope) const {
  if (page_size < 0) return InvalidField("page_size", "must not be negative");
  PageRequest page;
  page.limit.articles = static_cast<size_t>(
      page_size == 0 ? limits_.default_page_size
                     : std::min(page_size, limits_.max_page_size));
  page.limit.bytes = limits_.max_response_bytes > kResponseFramingBytes
                         ? limits_.max_response_bytes - kResponseFramingBytes
                         : 1;
  if (!page_token.empty()) {
    absl::StatusOr<std::string> start = page_tokens_->Decode(page_token, scope);
    if (!start.ok()) {
      return InvalidField("page_token", std::string(start.status().message()));
    }
    page.start_after = std::move(*start);
  }
  return page;
}

absl::Status ArticleServiceImpl::RespondWithPage(
    absl::StatusOr<QueryPage> page,
    const google::protobuf::FieldMask& read_mask, absl::string_view scope,
    grpc::ByteBuffer* response) const {
  if (!page.ok()) return page.status();
  using List = v1::ListArticlesResponse;
  using Referencing = v1::ListReferencingArticlesResponse;
  static_assert(int{List::kArticlesFieldNumber} ==
                        int{Referencing::kArticlesFieldNumber} &&
                    int{List::kNextPageTokenFieldNumber} ==
                        int{Referencing::kNextPageTokenFieldNumber} &&
                    int{List::kRevisionFieldNumber} ==
                        int{Referencing::kRevisionFieldNumber},
                "both list responses share one layout");
  RawMessageBuilder message;
  for (QueryHit& hit : page->hits) {
    absl::StatusOr<std::string> article =
        MaskSerialized(read_mask, std::move(hit.article));
    if (!article.ok()) return article.status();
    message.AddLengthDelimited(List::kArticlesFieldNumber, *std::move(article));
  }
  if (!page->next_start.empty()) {
    message.AddLengthDelimited(List::kNextPageTokenFieldNumber,
                               page_tokens_->Encode(scope, page->next_start));
  }
  message.AddVarint(List::kRevisionFieldNumber,
                    static_cast<uint64_t>(page->revision));
  *response = message.Finish();
  return absl::OkStatus();
}

absl::Status ArticleServiceImpl::List(const grpc::ByteBuffer& request_bytes,
                                      grpc::ByteBuffer* response) {
  v1::ListArticlesRequest request;
  absl::Status parsed = ParseRequest(request_bytes, &request);
  if (!parsed.ok()) return parsed;
  absl::StatusOr<ArticleQuery> query = ParseFilter(request.filter());
  if (!query.ok()) {
    return InvalidField("filter", std::string(query.status().message()));
  }
  const absl::Status ordered = ParseOrderBy(request.order_by(), &*query);
  if (!ordered.ok()) {
    return InvalidField("order_by", std::string(ordered.message()));
  }
  absl::StatusOr<google::protobuf::FieldMask> mask =
      NormalizeArticleMask("read_mask", request.read_mask());
  if (!mask.ok()) return mask.status();
  const std::string scope = ListScope(request.filter(), request.order_by());
  absl::StatusOr<PageRequest> page_request =
      ReadPageRequest(request.page_size(), request.page_token(), scope);
  if (!page_request.ok()) return page_request.status();
  return RespondWithPage(
      store_->Query(*query, page_request->start_after, page_request->limit),
      *mask, scope, response);
}

absl::Status ArticleServiceImpl::ListReferencing(
    const grpc::ByteBuffer& request_bytes, grpc::ByteBuffer* response) {
  v1::ListReferencingArticlesRequest request;
  absl::Status parsed = ParseRequest(request_bytes, &request);
  if (!parsed.ok()) return parsed;
  absl::StatusOr<std::string> key = KeyOf("url", request.url());
  if (!key.ok()) return key.status();
  absl::StatusOr<google::protobuf::FieldMask> mask =
      NormalizeArticleMask("read_mask", request.read_mask());
  if (!mask.ok()) return mask.status();
  const std::string scope = absl::StrCat("referencing ", *key);
  absl::StatusOr<PageRequest> page_request =
      ReadPageRequest(request.page_size(), request.page_token(), scope);
  if (!page_request.ok()) return page_request.status();
  return RespondWithPage(
      store_->ListReferencing(*key, page_request->start_after,
                              page_request->limit),
      *mask, scope, response);
}

}  // namespace content
