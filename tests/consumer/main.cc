// Stores an article through the installed client library and reads it back.
//   consumer HOST:PORT

#include <iostream>

#include "client/article_client.h"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: consumer HOST:PORT\n";
    return 2;
  }
  content::ArticleClient client(content::CreateArticleChannel(argv[1]));
  content::v1::Article article;
  article.set_web_url("https://consumer.example/hello");
  article.set_title("Hello from an installed package");
  absl::StatusOr<content::v1::Article> stored = client.PutArticle(article);
  if (!stored.ok()) {
    std::cerr << stored.status() << "\n";
    return 1;
  }
  absl::StatusOr<content::v1::Article> read =
      client.GetArticle("HTTPS://consumer.example/hello#top");
  if (!read.ok() || read->title() != article.title()) {
    std::cerr << "read back failed: " << read.status() << "\n";
    return 1;
  }
  std::cout << "consumer OK revision " << read->revision() << "\n";
  return 0;
}
