#include "client/article_client.h"

#include <utility>

#include "client/status_conversion.h"

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
    const v1::Article& article) {
  v1::PutArticleRequest request;
  *request.mutable_article() = article;
  v1::PutArticleResponse response;
  const grpc::Status status =
      stub_->PutArticle(NewContext().get(), request, &response);
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
    int page_size, absl::string_view page_token) {
  v1::ListArticlesRequest request;
  request.set_page_size(page_size);
  request.set_page_token(std::string(page_token));
  v1::ListArticlesResponse response;
  const grpc::Status status =
      stub_->ListArticles(NewContext().get(), request, &response);
  if (!status.ok()) return FromGrpcStatus(status);
  return response;
}

ArticlePager ArticleClient::ListAllArticles(int page_size) {
  return ArticlePager(this, page_size);
}

std::unique_ptr<ArticleImporter> ArticleClient::StartImport(int batch_size) {
  return std::make_unique<ArticleImporter>(stub_.get(), options_.import_timeout,
                                           batch_size);
}

absl::StatusOr<std::vector<v1::Article>> ArticlePager::NextPage() {
  if (done_) return absl::OutOfRangeError("no more pages");
  absl::StatusOr<v1::ListArticlesResponse> page =
      client_->ListArticles(page_size_, page_token_);
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
