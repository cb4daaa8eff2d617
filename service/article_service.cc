#include "service/article_service.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "google/protobuf/wire_format_lite.h"
#include "grpcpp/support/byte_buffer.h"
#include "service/rich_status.h"

namespace content {
namespace {

absl::Status InvalidField(absl::string_view field, std::string description) {
  return InvalidArgument({{std::string(field), std::move(description)}});
}

// The upsert of a validated article under the keys validation found.
ArticleMutation PutMutation(v1::Article article, ArticleKeys keys) {
  // Fields of a newer schema would be stored unchecked and change the etag
  // without changing anything this server can show: drop them.
  article.DiscardUnknownFields();
  ArticleMutation mutation;
  mutation.key = std::move(keys.key);
  mutation.alias_keys = std::move(keys.alias_keys);
  mutation.article = std::move(article);
  return mutation;
}

}  // namespace

ArticleServiceImpl::ArticleServiceImpl(ArticleStore* store,
                                       const UrlCanonicalizer* canonicalizer,
                                       const PageTokenCodec* page_tokens,
                                       const AccessPolicy* access,
                                       ServiceLimits limits)
    : store_(store),
      canonicalizer_(canonicalizer),
      page_tokens_(page_tokens),
      access_(access),
      limits_(std::move(limits)) {}

grpc::ServerUnaryReactor* ArticleServiceImpl::GetArticle(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
    grpc::ByteBuffer* response) {
  // The store answers from memory or the page cache, quickly enough to run
  // on gRPC's callback thread.
  absl::Status status = access_->Authorize(*context, Role::kRead);
  if (status.ok()) status = Get(*request, response);
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  reactor->Finish(ToGrpcStatus(status));
  return reactor;
}

grpc::Status ArticleServiceImpl::BatchGetArticles(
    grpc::ServerContext* context, const v1::BatchGetArticlesRequest* request,
    v1::BatchGetArticlesResponse* response) {
  absl::Status status = access_->Authorize(*context, Role::kRead);
  if (status.ok()) status = BatchGet(*request, response);
  return ToGrpcStatus(status);
}

grpc::Status ArticleServiceImpl::PutArticle(
    grpc::ServerContext* context, const v1::PutArticleRequest* request,
    v1::PutArticleResponse* response) {
  absl::Status status = access_->Authorize(*context, Role::kWrite);
  if (status.ok()) status = Put(*request, response);
  return ToGrpcStatus(status);
}

grpc::Status ArticleServiceImpl::DeleteArticle(
    grpc::ServerContext* context, const v1::DeleteArticleRequest* request,
    v1::DeleteArticleResponse*) {
  absl::Status status = access_->Authorize(*context, Role::kWrite);
  if (status.ok()) status = Delete(*request);
  return ToGrpcStatus(status);
}

grpc::Status ArticleServiceImpl::ListArticles(
    grpc::ServerContext* context, const v1::ListArticlesRequest* request,
    v1::ListArticlesResponse* response) {
  absl::Status status = access_->Authorize(*context, Role::kRead);
  if (status.ok()) status = List(*request, response);
  return ToGrpcStatus(status);
}

grpc::Status ArticleServiceImpl::ImportArticles(
    grpc::ServerContext* context,
    grpc::ServerReader<v1::ImportArticlesRequest>* reader,
    v1::ImportArticlesResponse* response) {
  const absl::Status allowed = access_->Authorize(*context, Role::kWrite);
  if (!allowed.ok()) return ToGrpcStatus(allowed);
  v1::ImportArticlesRequest request;
  int64_t next_index = 0;
  const absl::Time end = absl::Now() + limits_.max_stream_duration;
  while (reader->Read(&request)) {
    if (absl::Now() > end) {
      return grpc::Status(
          grpc::StatusCode::DEADLINE_EXCEEDED,
          absl::StrCat("an import stream may run at most ",
                       absl::FormatDuration(limits_.max_stream_duration),
                       " (max_stream_seconds); the articles of the messages "
                       "before this one are stored"));
    }
    const int size = request.articles_size();
    const absl::Status status = ImportBatch(&request, next_index, response);
    if (!status.ok()) return ToGrpcStatus(status);
    next_index += size;
  }
  return grpc::Status::OK;
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
  grpc::Slice flat;
  if (!request_bytes.TrySingleSlice(&flat).ok() &&
      !request_bytes.DumpToSingleSlice(&flat).ok()) {
    return absl::InternalError("cannot read the request");
  }
  if (!request.ParseFromArray(flat.begin(), static_cast<int>(flat.size()))) {
    return absl::InvalidArgumentError(
        "the request is not a content.v1.GetArticleRequest (malformed bytes, "
        "or a string that is not UTF-8)");
  }
  absl::StatusOr<std::string> key = KeyOf("url", request.url());
  if (!key.ok()) return key.status();
  absl::StatusOr<std::string> article = store_->GetSerialized(*key);
  if (absl::IsNotFound(article.status()))
    return ArticlesNotFound({request.url()});
  if (!article.ok()) return article.status();
  // GetArticleResponse is its field 1, the article: a tag, the length, the
  // article's bytes as stored.
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream stream(&bytes);
    google::protobuf::io::CodedOutputStream out(&stream);
    out.WriteTag(google::protobuf::internal::WireFormatLite::MakeTag(
        v1::GetArticleResponse::kArticleFieldNumber,
        google::protobuf::internal::WireFormatLite::WIRETYPE_LENGTH_DELIMITED));
    out.WriteVarint32(static_cast<uint32_t>(article->size()));
    out.WriteString(*article);
  }
  grpc::Slice slice(bytes);
  *response = grpc::ByteBuffer(&slice, 1);
  return absl::OkStatus();
}

absl::Status ArticleServiceImpl::BatchGet(
    const v1::BatchGetArticlesRequest& request,
    v1::BatchGetArticlesResponse* response) {
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

  absl::StatusOr<std::vector<std::optional<v1::Article>>> found =
      store_->MultiGet(keys);
  if (!found.ok()) return found.status();
  std::vector<std::string> missing;
  for (size_t i = 0; i < found->size(); ++i) {
    if (!(*found)[i].has_value()) missing.push_back(request.urls(i));
  }
  if (!missing.empty()) return ArticlesNotFound(missing);
  for (std::optional<v1::Article>& article : *found) {
    *response->add_articles() = std::move(*article);
  }
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
  absl::StatusOr<std::vector<MutationResult>> results =
      store_->Write({std::move(mutation)});
  if (absl::IsNotFound(results.status())) {
    return ArticlesNotFound({request.article().web_url()});
  }
  if (!results.ok()) return results.status();
  *response->mutable_article() = std::move(results->front().article);
  return absl::OkStatus();
}

absl::Status ArticleServiceImpl::Delete(
    const v1::DeleteArticleRequest& request) {
  absl::StatusOr<std::string> key = KeyOf("url", request.url());
  if (!key.ok()) return key.status();
  ArticleMutation mutation;
  mutation.kind = ArticleMutation::Kind::kDelete;
  mutation.key = std::move(*key);
  mutation.expected_etag = request.etag();
  const absl::Status status = store_->Write({std::move(mutation)}).status();
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

absl::Status ArticleServiceImpl::List(const v1::ListArticlesRequest& request,
                                      v1::ListArticlesResponse* response) {
  if (request.page_size() < 0) {
    return InvalidField("page_size", "must not be negative");
  }
  const int page_size =
      request.page_size() == 0
          ? limits_.default_page_size
          : std::min(request.page_size(), limits_.max_page_size);
  std::string start_after;
  if (!request.page_token().empty()) {
    absl::StatusOr<std::string> decoded =
        page_tokens_->Decode(request.page_token());
    if (!decoded.ok()) {
      return InvalidField("page_token",
                          std::string(decoded.status().message()));
    }
    start_after = std::move(*decoded);
  }
  // One extra article tells whether another page follows.
  absl::StatusOr<std::vector<KeyedArticle>> page =
      store_->Scan(start_after, static_cast<size_t>(page_size) + 1);
  if (!page.ok()) return page.status();
  const bool more = page->size() > static_cast<size_t>(page_size);
  if (more) page->pop_back();
  for (KeyedArticle& entry : *page) {
    *response->add_articles() = std::move(entry.article);
  }
  if (more)
    response->set_next_page_token(page_tokens_->Encode(page->back().key));
  return absl::OkStatus();
}

}  // namespace content
