#include "tools/contentctl/contentctl.h"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "base/whole_file.h"
#include "client/article_client.h"
#include "client/status_conversion.h"
#include "content/v1/admin_service.grpc.pb.h"
#include "document/article_document.h"
#include "document/corpus_generator.h"
#include "google/protobuf/util/json_util.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/client_context.h"
#include "tools/contentctl/backup_command.h"
#include "tools/contentctl/cli_output.h"
#include "tools/contentctl/export_command.h"
#include "tools/contentctl/import_command.h"

namespace content {
namespace {

// The words of a command line: flags (--name value or --name=value) and the
// positional arguments in order.
struct CommandLine {
  std::map<std::string, std::string> flags;
  std::vector<std::string> args;
};

absl::StatusOr<CommandLine> Parse(int argc, const char* const* argv) {
  static const char* const kFlags[] = {"server",     "timeout",
                                       "page_size",  "etag",
                                       "output",     "out",
                                       "count",      "seed",
                                       "batch_size", "jobs",
                                       "tls_ca",     "tls_cert",
                                       "tls_key",    "tls_server_name",
                                       "token",      "token_file",
                                       "filter",     "order_by",
                                       "mask",       "from",
                                       "max_events"};
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

// An integer flag in [min, max], or an error naming it.
absl::StatusOr<int64_t> IntFlag(const CommandLine& line,
                                const std::string& name, int64_t fallback,
                                int64_t min, int64_t max) {
  auto it = line.flags.find(name);
  if (it == line.flags.end()) return fallback;
  int64_t value = 0;
  if (!absl::SimpleAtoi(it->second, &value) || value < min || value > max) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--", name, " must be an integer from ", min, " to ", max));
  }
  return value;
}

// What a command runs with: the parsed line, the checked numeric flags,
// the output streams and, for a command that talks to a server, its channel.
struct Invocation {
  const CommandLine& line;
  std::ostream& out;
  std::ostream& err;
  absl::Duration timeout;
  int64_t page_size;
  int64_t batch_size;
  int64_t jobs;
  int64_t count;
  int64_t seed;
  int64_t from;
  int64_t max_events;
  std::shared_ptr<grpc::Channel> channel;  // null without a server

  ArticleClient Client() const { return ArticleClient(channel, {timeout}); }
  const std::string& Arg(int i) const { return line.args[i]; }
};

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
  absl::StatusOr<std::string> contents = ReadWholeFile(path);
  if (!contents.ok()) return contents.status();
  v1::Article article;
  const auto status =
      google::protobuf::util::JsonStringToMessage(*contents, &article);
  if (!status.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": not a content.v1.Article in proto3 JSON: ",
                     status.message().as_string()));
  }
  return article;
}

int Get(Invocation& call) {
  ArticleClient client = call.Client();
  const std::string output = Flag(call.line, "output", "json");
  if (output != "json" && output != "yaml") {
    call.err << "contentctl: --output must be json or yaml\n";
    return kExitUsage;
  }
  absl::StatusOr<v1::Article> article = client.GetArticle(call.line.args[1]);
  if (!article.ok()) return ReportFailure(article.status(), call.err);
  call.out << (output == "yaml" ? FormatArticleDocument(*article)
                                : ToJson(*article, /*pretty=*/true));
  return kExitOk;
}

// Reads the article in the JSON file argument, writes it with `write` and
// reports it as `verb` ("stored revision N etag E").
int WriteArticleFile(Invocation& call, absl::string_view verb,
                     const std::function<absl::StatusOr<v1::Article>(
                         ArticleClient&, const v1::Article&)>& write) {
  ArticleClient client = call.Client();
  absl::StatusOr<v1::Article> article = ReadArticleJson(call.line.args[1]);
  if (!article.ok()) {
    call.err << "contentctl: " << article.status().message() << "\n";
    return kExitFailed;
  }
  absl::StatusOr<v1::Article> written = write(client, *article);
  if (!written.ok()) return ReportFailure(written.status(), call.err);
  call.out << verb << " " << written->web_url() << " revision "
           << written->revision() << " etag " << written->etag() << "\n";
  return kExitOk;
}

int Put(Invocation& call) {
  return WriteArticleFile(
      call, "stored", [](ArticleClient& client, const v1::Article& article) {
        return client.PutArticle(article);
      });
}

int Delete(Invocation& call) {
  ArticleClient client = call.Client();
  const absl::Status status =
      client.DeleteArticle(call.line.args[1], Flag(call.line, "etag", ""));
  if (!status.ok()) return ReportFailure(status, call.err);
  call.out << "deleted " << call.line.args[1] << "\n";
  return kExitOk;
}

int Update(Invocation& call) {
  const std::vector<std::string> paths =
      absl::StrSplit(Flag(call.line, "mask", ""), ',', absl::SkipWhitespace());
  return WriteArticleFile(
      call, "updated",
      [&paths](ArticleClient& client, const v1::Article& article) {
        return client.UpdateArticle(article, paths);
      });
}

int List(ArticleClient& client, ListQuery query, std::ostream& out,
         std::ostream& err) {
  ArticlePager pager = client.ListAllArticles(std::move(query));
  while (pager.HasNext()) {
    absl::StatusOr<std::vector<v1::Article>> page = pager.NextPage();
    if (!page.ok()) return ReportFailure(page.status(), err);
    for (const v1::Article& article : *page) {
      out << ToJson(article, /*pretty=*/false) << "\n";
    }
  }
  return kExitOk;
}

int Referencing(ArticleClient& client, const std::string& url, int page_size,
                std::ostream& out, std::ostream& err) {
  std::string token;
  do {
    absl::StatusOr<v1::ListReferencingArticlesResponse> page =
        client.ListReferencingArticles(url, page_size, token);
    if (!page.ok()) return ReportFailure(page.status(), err);
    for (const v1::Article& article : page->articles()) {
      out << ToJson(article, /*pretty=*/false) << "\n";
    }
    token = page->next_page_token();
  } while (!token.empty());
  return kExitOk;
}

// Prints each event as a JSON line (progress messages are not printed) until
// `max_events` (if positive) have been printed or the stream ends.
int Watch(ArticleClient& client, int64_t from, const std::string& filter,
          int64_t max_events, std::ostream& out, std::ostream& err) {
  std::unique_ptr<ArticleWatch> watch = client.WatchArticles(from, filter);
  v1::WatchArticlesResponse response;
  int64_t printed = 0;
  while (watch->Next(&response)) {
    for (const v1::ArticleEvent& event : response.events()) {
      std::string json;
      (void)google::protobuf::util::MessageToJsonString(event, &json);
      out << json << "\n" << std::flush;
      if (max_events > 0 && ++printed == max_events) {
        watch->Cancel();
        while (watch->Next(&response)) {
        }
        (void)watch->Finish();
        return kExitOk;
      }
    }
  }
  return ReportFailure(watch->Finish(), err);
}

int Generate(int64_t count, uint64_t seed, const std::string& dir,
             std::ostream& out, std::ostream& err) {
  std::error_code error;
  std::filesystem::create_directories(dir, error);
  if (error) {
    err << "contentctl: " << dir << ": " << error.message() << "\n";
    return kExitFailed;
  }
  const CorpusGenerator generator(seed);
  for (int64_t i = 0; i < count; ++i) {
    const std::string path = absl::StrFormat("%s/%09d.md", dir, i);
    std::ofstream file(path, std::ios::binary);
    file << FormatArticleDocument(generator.Article(i));
    if (!file) {
      err << "contentctl: " << path << ": cannot be written\n";
      return kExitFailed;
    }
  }
  out << "generated " << count << " documents in " << dir << "\n";
  return kExitOk;
}

// Asks grpc.health.v1 about the whole server; for container health checks.
int Health(const std::shared_ptr<grpc::Channel>& channel,
           absl::Duration timeout, std::ostream& out, std::ostream& err) {
  auto stub = grpc::health::v1::Health::NewStub(channel);
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + timeout));
  grpc::health::v1::HealthCheckResponse response;
  const grpc::Status status =
      stub->Check(&context, grpc::health::v1::HealthCheckRequest(), &response);
  if (!status.ok()) return ReportFailure(FromGrpcStatus(status), err);
  const std::string& state =
      grpc::health::v1::HealthCheckResponse::ServingStatus_Name(
          response.status());
  out << state << "\n";
  return response.status() == grpc::health::v1::HealthCheckResponse::SERVING
             ? kExitOk
             : kExitFailed;
}

// Checks the whole store (AdminService.VerifyStore); exit 1 on any problem.
int Verify(const std::shared_ptr<grpc::Channel>& channel,
           absl::Duration timeout, std::ostream& out, std::ostream& err) {
  auto stub = v1::AdminService::NewStub(channel);
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + timeout));
  v1::VerifyStoreResponse response;
  const grpc::Status status =
      stub->VerifyStore(&context, v1::VerifyStoreRequest(), &response);
  if (!status.ok()) return ReportFailure(FromGrpcStatus(status), err);
  out << "articles " << response.article_count() << ", aliases "
      << response.alias_count() << ", revision " << response.revision() << "\n"
      << "state digest " << response.state_digest() << "\n";
  for (const std::string& problem : response.problems()) {
    err << "problem: " << problem << "\n";
  }
  if (!response.problems().empty()) return kExitFailed;
  out << "consistent\n";
  return kExitOk;
}

// The token from --token_file, --token or $CONTENT_TOKEN, in that order.
absl::StatusOr<std::string> BearerToken(const CommandLine& line) {
  const std::string path = Flag(line, "token_file", "");
  if (!path.empty()) {
    std::ifstream in(path, std::ios::binary);
    std::string token;
    if (!in || !std::getline(in, token)) {
      return absl::InvalidArgumentError(
          absl::StrCat("--token_file ", path, ": cannot be read"));
    }
    absl::StripTrailingAsciiWhitespace(&token);
    if (token.empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat("--token_file ", path, ": is empty"));
    }
    return token;
  }
  const char* env = std::getenv("CONTENT_TOKEN");
  return Flag(line, "token", env == nullptr ? "" : env);
}

absl::StatusOr<std::shared_ptr<grpc::Channel>> OpenChannel(
    const CommandLine& line) {
  ChannelOptions options;
  const std::string ca = Flag(line, "tls_ca", "");
  options.tls = !ca.empty();
  options.tls_ca_file = ca == "system" ? "" : ca;
  options.tls_cert_file = Flag(line, "tls_cert", "");
  options.tls_key_file = Flag(line, "tls_key", "");
  options.tls_server_name = Flag(line, "tls_server_name", "");
  if (!options.tls &&
      (!options.tls_cert_file.empty() || !options.tls_key_file.empty() ||
       !options.tls_server_name.empty())) {
    return absl::InvalidArgumentError(
        "--tls_cert, --tls_key and --tls_server_name need --tls_ca");
  }
  absl::StatusOr<std::string> token = BearerToken(line);
  if (!token.ok()) return token.status();
  options.bearer_token = std::move(*token);
  return CreateArticleChannel(Flag(line, "server", "127.0.0.1:50051"), options);
}

// One command: the table below drives parsing, help and dispatch.
struct Command {
  const char* name;
  const char* synopsis;
  const char* help;
  int min_args;  // positional arguments after the name
  int max_args;  // -1: any number
  bool uses_server;
  int (*run)(Invocation& call);
};

int RunList(Invocation& call) {
  ArticleClient client = call.Client();
  return List(client,
              {static_cast<int>(call.page_size), Flag(call.line, "filter", ""),
               Flag(call.line, "order_by", "")},
              call.out, call.err);
}
int RunReferencing(Invocation& call) {
  ArticleClient client = call.Client();
  return Referencing(client, call.Arg(1), static_cast<int>(call.page_size),
                     call.out, call.err);
}
int RunWatch(Invocation& call) {
  ArticleClient client = call.Client();
  return Watch(client, call.from, Flag(call.line, "filter", ""),
               call.max_events, call.out, call.err);
}
int RunImportCommand(Invocation& call) {
  ArticleClient client = call.Client();
  ImportOptions options;
  options.batch_size = static_cast<int>(call.batch_size);
  options.jobs = static_cast<int>(call.jobs);
  options.progress = isatty(STDERR_FILENO) == 1;
  const std::vector<std::string> paths(call.line.args.begin() + 1,
                                       call.line.args.end());
  return RunImport(client, paths, options, call.out, call.err);
}
int RunExportCommand(Invocation& call) {
  ArticleClient client = call.Client();
  return RunExport(client, Flag(call.line, "out", ""), call.out, call.err);
}
int RunGenerate(Invocation& call) {
  return Generate(call.count, static_cast<uint64_t>(call.seed),
                  Flag(call.line, "out", ""), call.out, call.err);
}
int RunHealth(Invocation& call) {
  return Health(call.channel, call.timeout, call.out, call.err);
}
int RunVerify(Invocation& call) {
  return Verify(call.channel, call.timeout, call.out, call.err);
}
int RunBackupCommand(Invocation& call) {
  return RunBackup(call.channel, call.Arg(1), call.out, call.err);
}

const Command kCommands[] = {
    {"get", "get URL [--output json|yaml]",
     "print the article (JSON, or a document)", 1, 1, true, Get},
    {"put", "put FILE.json", "store the article in FILE (proto3 JSON)", 1, 1,
     true, Put},
    {"delete", "delete URL [--etag E]",
     "delete the article (only that version)", 1, 1, true, Delete},
    {"update", "update FILE.json [--mask PATHS]",
     "change the fields PATHS names (comma-separated; default: those set in "
     "FILE) of its article",
     1, 1, true, Update},
    {"list", "list [--page_size N] [--filter F] [--order_by O]",
     "print the articles, one JSON line each", 0, 0, true, RunList},
    {"referencing", "referencing URL",
     "print the articles whose related items point at URL", 1, 1, true,
     RunReferencing},
    {"watch", "watch [--from REV] [--filter F] [--max_events N]",
     "print changes as they happen, one JSON line each", 0, 0, true, RunWatch},
    {"import", "import PATH... [--batch_size N] [--jobs N]",
     "store the documents in files and directories", 1, -1, true,
     RunImportCommand},
    {"export", "export --out DIR", "write every article as a document", 0, 0,
     true, RunExportCommand},
    {"generate", "generate --count N --out DIR [--seed S]",
     "write N synthetic documents (no server)", 0, 0, false, RunGenerate},
    {"health", "health", "SERVING or not (exit 0 or 1)", 0, 0, true, RunHealth},
    {"verify", "verify", "check the store's consistency (admin)", 0, 0, true,
     RunVerify},
    {"backup", "backup DIR", "write an online backup into new DIR (admin)", 1,
     1, true, RunBackupCommand},
};

std::string UsageText() {
  constexpr size_t kColumn = 31;
  std::string text =
      "usage: contentctl [--server HOST:PORT] [--timeout SECONDS] [TLS and "
      "token flags] COMMAND\n";
  for (const Command& command : kCommands) {
    const std::string synopsis = command.synopsis;
    if (synopsis.size() < kColumn) {
      absl::StrAppend(&text, "  ", synopsis,
                      std::string(kColumn - synopsis.size(), ' '), command.help,
                      "\n");
    } else {
      absl::StrAppend(&text, "  ", synopsis, "\n",
                      std::string(kColumn + 2, ' '), command.help, "\n");
    }
  }
  absl::StrAppend(&text,
                  "TLS: --tls_ca FILE|system [--tls_cert FILE --tls_key FILE] "
                  "[--tls_server_name NAME]\n"
                  "Token: --token_file FILE, or environment CONTENT_TOKEN "
                  "(--token T works but shows in ps)\n");
  return text;
}

int Usage(std::ostream& err, absl::string_view problem) {
  err << "contentctl: " << problem << "\n" << UsageText();
  return kExitUsage;
}

}  // namespace

int RunContentctl(int argc, const char* const* argv, std::ostream& out,
                  std::ostream& err) {
  absl::StatusOr<CommandLine> line = Parse(argc, argv);
  if (!line.ok()) return Usage(err, line.status().message());
  if (line->args.empty()) return Usage(err, "no command given");
  const std::string& name = line->args[0];
  const Command* command = nullptr;
  for (const Command& candidate : kCommands) {
    if (name == candidate.name) command = &candidate;
  }
  if (command == nullptr) {
    return Usage(err, absl::StrCat("unknown command \"", name, "\""));
  }
  const int args = static_cast<int>(line->args.size()) - 1;
  if (args < command->min_args ||
      (command->max_args >= 0 && args > command->max_args)) {
    return Usage(err, absl::StrCat("wrong number of arguments for ", name));
  }

  absl::StatusOr<int64_t> timeout = IntFlag(*line, "timeout", 10, 1, 86400);
  absl::StatusOr<int64_t> page_size = IntFlag(*line, "page_size", 0, 0, 1000);
  absl::StatusOr<int64_t> batch_size =
      IntFlag(*line, "batch_size", 500, 1, 1000);
  absl::StatusOr<int64_t> jobs = IntFlag(*line, "jobs", 2, 1, 64);
  absl::StatusOr<int64_t> count = IntFlag(*line, "count", -1, 0, 1000000000);
  absl::StatusOr<int64_t> seed = IntFlag(*line, "seed", 1, 0, INT64_MAX);
  absl::StatusOr<int64_t> from = IntFlag(*line, "from", 0, 0, INT64_MAX);
  absl::StatusOr<int64_t> max_events =
      IntFlag(*line, "max_events", 0, 0, INT64_MAX);
  for (const auto* flag : {&timeout, &page_size, &batch_size, &jobs, &count,
                           &seed, &from, &max_events}) {
    if (!flag->ok()) return Usage(err, flag->status().message());
  }
  if ((name == "export" || name == "generate") &&
      Flag(*line, "out", "").empty()) {
    return Usage(err, absl::StrCat(name, " needs --out DIR"));
  }
  if (name == "generate" && *count < 0) {
    return Usage(err, "generate needs --count N");
  }
  Invocation call{*line,      out,         err,         absl::Seconds(*timeout),
                  *page_size, *batch_size, *jobs,       *count,
                  *seed,      *from,       *max_events, nullptr};
  if (command->uses_server) {
    absl::StatusOr<std::shared_ptr<grpc::Channel>> opened = OpenChannel(*line);
    if (!opened.ok()) return Usage(err, opened.status().message());
    call.channel = *std::move(opened);
  }
  return command->run(call);
}

}  // namespace content
