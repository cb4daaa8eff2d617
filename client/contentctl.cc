#include "client/contentctl.h"

#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "client/article_client.h"
#include "client/status_conversion.h"
#include "google/protobuf/util/json_util.h"

namespace content {
namespace {

constexpr int kExitOk = 0;
constexpr int kExitFailed = 1;
constexpr int kExitUsage = 2;

constexpr char kUsage[] =
    "usage: contentctl [--server HOST:PORT] [--timeout SECONDS] COMMAND\n"
    "  get URL                 print the article as proto3 JSON\n"
    "  put FILE.json           store the article in FILE (proto3 JSON)\n"
    "  delete URL [--etag E]   delete the article (only that version)\n"
    "  list [--page_size N]    print every article, one JSON line each\n";

// The words of a command line: flags (--name value or --name=value) and the
// positional arguments in order.
struct CommandLine {
  std::map<std::string, std::string> flags;
  std::vector<std::string> args;
};

absl::StatusOr<CommandLine> Parse(int argc, const char* const* argv) {
  static const char* const kFlags[] = {"server", "timeout", "page_size",
                                       "etag"};
  CommandLine line;
  for (int i = 1; i < argc; ++i) {
    absl::string_view word = argv[i];
    if (!absl::ConsumePrefix(&word, "--")) {
      line.args.emplace_back(word);
      continue;
    }
    const size_t equals = word.find('=');
    const std::string name(word.substr(0, equals));
    if (std::find(std::begin(kFlags), std::end(kFlags), name) ==
        std::end(kFlags)) {
      return absl::InvalidArgumentError(absl::StrCat("unknown flag --", name));
    }
    if (equals != absl::string_view::npos) {
      line.flags[name] = std::string(word.substr(equals + 1));
    } else if (i + 1 < argc) {
      line.flags[name] = argv[++i];
    } else {
      return absl::InvalidArgumentError(
          absl::StrCat("flag --", name, " needs a value"));
    }
  }
  return line;
}

std::string Flag(const CommandLine& line, const std::string& name,
                 const std::string& fallback) {
  auto it = line.flags.find(name);
  return it == line.flags.end() ? fallback : it->second;
}

// Prints a failed call: the status, then each field violation on its line.
int Fail(const absl::Status& status, std::ostream& err) {
  err << "contentctl: " << absl::StatusCodeToString(status.code());
  const auto violations = FieldViolations(status);
  if (violations.empty()) err << ": " << status.message();
  err << "\n";
  for (const auto& violation : violations) {
    err << "  " << violation.field() << ": " << violation.description() << "\n";
  }
  return kExitFailed;
}

std::string ToJson(const v1::Article& article, bool pretty) {
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = pretty;
  std::string json;
  // Cannot fail: Article holds no Any fields that would need a type lookup.
  (void)google::protobuf::util::MessageToJsonString(article, &json, options);
  return json;
}

// Reads the proto3 JSON article in `path`; errors name the file.
absl::StatusOr<v1::Article> ReadArticleJson(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat(path, ": cannot be read"));
  std::stringstream contents;
  contents << in.rdbuf();
  v1::Article article;
  const auto status =
      google::protobuf::util::JsonStringToMessage(contents.str(), &article);
  if (!status.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": not a content.v1.Article in proto3 JSON: ",
                     status.message().as_string()));
  }
  return article;
}

int Get(ArticleClient& client, const CommandLine& line, std::ostream& out,
        std::ostream& err) {
  absl::StatusOr<v1::Article> article = client.GetArticle(line.args[1]);
  if (!article.ok()) return Fail(article.status(), err);
  out << ToJson(*article, /*pretty=*/true);
  return kExitOk;
}

int Put(ArticleClient& client, const CommandLine& line, std::ostream& out,
        std::ostream& err) {
  absl::StatusOr<v1::Article> article = ReadArticleJson(line.args[1]);
  if (!article.ok()) {
    err << "contentctl: " << article.status().message() << "\n";
    return kExitFailed;
  }
  absl::StatusOr<v1::Article> stored = client.PutArticle(*article);
  if (!stored.ok()) return Fail(stored.status(), err);
  out << "stored " << stored->web_url() << " revision " << stored->revision()
      << " etag " << stored->etag() << "\n";
  return kExitOk;
}

int Delete(ArticleClient& client, const CommandLine& line, std::ostream& out,
           std::ostream& err) {
  const absl::Status status =
      client.DeleteArticle(line.args[1], Flag(line, "etag", ""));
  if (!status.ok()) return Fail(status, err);
  out << "deleted " << line.args[1] << "\n";
  return kExitOk;
}

int List(ArticleClient& client, int page_size, std::ostream& out,
         std::ostream& err) {
  ArticlePager pager = client.ListAllArticles(page_size);
  while (pager.HasNext()) {
    absl::StatusOr<std::vector<v1::Article>> page = pager.NextPage();
    if (!page.ok()) return Fail(page.status(), err);
    for (const v1::Article& article : *page) {
      out << ToJson(article, /*pretty=*/false) << "\n";
    }
  }
  return kExitOk;
}

int Usage(std::ostream& err, absl::string_view problem) {
  err << "contentctl: " << problem << "\n" << kUsage;
  return kExitUsage;
}

}  // namespace

int RunContentctl(int argc, const char* const* argv, std::ostream& out,
                  std::ostream& err) {
  absl::StatusOr<CommandLine> line = Parse(argc, argv);
  if (!line.ok()) return Usage(err, line.status().message());
  if (line->args.empty()) return Usage(err, "no command given");

  int timeout_seconds = 10;
  if (!absl::SimpleAtoi(Flag(*line, "timeout", "10"), &timeout_seconds) ||
      timeout_seconds <= 0) {
    return Usage(err, "--timeout must be a positive number of seconds");
  }
  int page_size = 0;
  if (!absl::SimpleAtoi(Flag(*line, "page_size", "0"), &page_size)) {
    return Usage(err, "--page_size must be an integer");
  }
  const std::string& command = line->args[0];
  const size_t wanted_args = command == "list" ? 1 : 2;
  if (command != "get" && command != "put" && command != "delete" &&
      command != "list") {
    return Usage(err, absl::StrCat("unknown command \"", command, "\""));
  }
  if (line->args.size() != wanted_args) {
    return Usage(err, absl::StrCat(command, " takes ", wanted_args - 1,
                                   " argument", wanted_args == 2 ? "" : "s"));
  }

  ArticleClient client(
      CreateArticleChannel(Flag(*line, "server", "127.0.0.1:50051")),
      {absl::Seconds(timeout_seconds)});
  if (command == "get") return Get(client, *line, out, err);
  if (command == "put") return Put(client, *line, out, err);
  if (command == "delete") return Delete(client, *line, out, err);
  return List(client, page_size, out, err);
}

}  // namespace content
