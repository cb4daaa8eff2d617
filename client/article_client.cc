#include "client/article_client.h"

#include <utility>

#include "client/status_conversion.h"
#include "client/utf8_fields.h"

namespace content {

ArticleClient::ArticleClient(std::shared_ptr<grpc::Channel> channel,
                             ArticleClientOptions options)
    : stub_(v1::ArticleService::NewStub(std::move(channel))),
      options_(options) {}

std::unique_ptr<grpc::ClientContext> ArticleClient::NewContext() const {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(absl::ToChronoTime(absl::Now() + options_.timeout));
  return context;
}

absl::StatusOr<v1::Article> ArticleClient::GetArticle(absl::string_view url) {
  v1::GetArticleRequest request;
  request.set_url(std::string(url));
  v1::GetArticleResponse response;
  const grpc::Status status =
      stub_->GetArticle(NewContext().get(), request, &response);
  if (!status.ok()) return FromGrpcStatus(status);
  return std::move(*response.mutable_article());
}

absl::StatusOr<std::vector<v1::Article>> ArticleClient::BatchGetArticles(
    absl::Span<const std::string> urls) {
  v1::BatchGetArticlesRequest request;
  request.mutable_urls()->Add(urls.begin(), urls.end());
  v1::BatchGetArticlesResponse response;
  const grpc::Status status =
      stub_->BatchGetArticles(NewContext().get(), request, &response);
  if (!status.ok()) return FromGrpcStatus(status);
  return std::vector<v1::Article>(
      std::make_move_iterator(response.mutable_articles()->begin()),
      std::make_move_iterator(response.mutable_articles()->end()));
}

absl::StatusOr<v1::Article> ArticleClient::PutArticle(
    const v1::Article& article, bool create_only) {
  const absl::Status sendable = CheckUtf8Fields(article, "article");
  if (!sendable.ok()) return sendable;
  v1::PutArticleRequest request;
  *request.mutable_article() = article;
  request.set_create_only(create_only);
  v1::PutArticleResponse response;
  const grpc::Status status =
      stub_->PutArticle(NewContext().get(), request, &response);
  if (!status.ok()) return FromGrpcStatus(status);
  return std::move(*response.mutable_article());
}

absl::StatusOr<v1::Article> ArticleClient::UpdateArticle(
    const v1::Article& article, absl::Span<const std::string> paths) {
  const absl::Status sendable = CheckUtf8Fields(article, "article");
  if (!sendable.ok()) return sendable;
  v1::UpdateArticleRequest request;
  *request.mutable_article() = article;
  request.mutable_update_mask()->mutable_paths()->Add(paths.begin(),
                                                      paths.end());
  v1::UpdateArticleResponse response;
  const grpc::Status status =
      stub_->UpdateArticle(NewContext().get(), request, &response);
  if (!status.ok()) return FromGrpcStatus(status);
  return std::move(*response.mutable_article());
}

absl::Status ArticleClient::DeleteArticle(absl::string_view url,
                                          absl::string_view etag) {
  v1::DeleteArticleRequest request;
  request.set_url(std::string(url));
  request.set_etag(std::string(etag));
  v1::DeleteArticleResponse response;
  return FromGrpcStatus(
      stub_->DeleteArticle(NewContext().get(), request, &response));
}

absl::StatusOr<v1::ListArticlesResponse> ArticleClient::ListArticles(
    const ListQuery& query, absl::string_view page_token) {
  v1::ListArticlesRequest request;
  request.set_page_size(query.page_size);
  request.set_filter(query.filter);
  request.set_order_by(query.order_by);
  request.set_page_token(std::string(page_token));
  v1::ListArticlesResponse response;
  const grpc::Status status =
      stub_->ListArticles(NewContext().get(), request, &response);
  if (!status.ok()) return FromGrpcStatus(status);
  return response;
}

ArticlePager ArticleClient::ListAllArticles(ListQuery query) {
  return ArticlePager(this, std::move(query));
}

absl::StatusOr<v1::ListReferencingArticlesResponse>
ArticleClient::ListReferencingArticles(absl::string_view url, int page_size,
                                       absl::string_view page_token) {
  v1::ListReferencingArticlesRequest request;
  request.set_url(std::string(url));
  request.set_page_size(page_size);
  request.set_page_token(std::string(page_token));
  v1::ListReferencingArticlesResponse response;
  const grpc::Status status =
      stub_->ListReferencingArticles(NewContext().get(), request, &response);
  if (!status.ok()) return FromGrpcStatus(status);
  return response;
}

std::unique_ptr<ArticleWatch> ArticleClient::WatchArticles(
    int64_t start_revision, absl::string_view filter) {
  v1::WatchArticlesRequest request;
  request.set_start_revision(start_revision);
  request.set_filter(std::string(filter));
  std::unique_ptr<ArticleWatch> watch(new ArticleWatch());
  watch->reader_ = stub_->WatchArticles(&watch->context_, request);
  return watch;
}

bool ArticleWatch::Next(v1::WatchArticlesResponse* response) {
  return reader_->Read(response);
}

void ArticleWatch::Cancel() { context_.TryCancel(); }

absl::Status ArticleWatch::Finish() {
  return FromGrpcStatus(reader_->Finish());
}

std::unique_ptr<ArticleImporter> ArticleClient::StartImport(int batch_size) {
  return std::make_unique<ArticleImporter>(stub_.get(), options_.import_timeout,
                                           batch_size);
}

absl::StatusOr<std::vector<v1::Article>> ArticlePager::NextPage() {
  if (done_) return absl::OutOfRangeError("no more pages");
  absl::StatusOr<v1::ListArticlesResponse> page =
      client_->ListArticles(query_, page_token_);
  if (!page.ok()) {
    done_ = true;
    return page.status();
  }
  page_token_ = page->next_page_token();
  done_ = page_token_.empty();
  return std::vector<v1::Article>(
      std::make_move_iterator(page->mutable_articles()->begin()),
      std::make_move_iterator(page->mutable_articles()->end()));
}

}  // namespace content
