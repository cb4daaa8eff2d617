#include "bench/postgres_peer.h"

#include <libpq-fe.h>

#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/time/clock.h"
#include "google/protobuf/util/json_util.h"

namespace content::bench {
namespace {

constexpr char kSchema[] = R"sql(
DROP TABLE IF EXISTS articles, changes;
DROP SEQUENCE IF EXISTS revisions;
CREATE SEQUENCE revisions;
CREATE TABLE articles (
  url text PRIMARY KEY,
  revision bigint NOT NULL,
  doc jsonb NOT NULL);
CREATE TABLE changes (
  revision bigint PRIMARY KEY,
  url text NOT NULL,
  doc jsonb);
CREATE INDEX ON articles USING gin ((doc -> 'topics'));
CREATE INDEX ON articles ((doc ->> 'category'), (doc ->> 'publishedDateTime'));
CREATE INDEX ON articles ((doc -> 'provider' ->> 'domain'),
                          (doc ->> 'publishedDateTime'));
CREATE INDEX ON articles ((doc ->> 'type'), (doc ->> 'publishedDateTime'));
CREATE INDEX ON articles ((doc ->> 'publishedDateTime'));
CREATE INDEX ON articles (((doc ->> 'quality')::int));
)sql";

// One statement, so one round trip and one implicit transaction: the change
// row and the upsert commit together (synchronous_commit on: durable).
constexpr char kUpsert[] = R"sql(
WITH next AS (SELECT nextval('revisions') AS revision),
change AS (
  INSERT INTO changes SELECT revision, $1, $2::jsonb FROM next)
INSERT INTO articles SELECT $1, revision, $2::jsonb FROM next
ON CONFLICT (url) DO UPDATE
  SET revision = EXCLUDED.revision, doc = EXCLUDED.doc)sql";

constexpr char kGet[] = "SELECT doc FROM articles WHERE url = $1";

[[noreturn]] void Fail(const std::string& what, PGconn* conn) {
  std::fprintf(stderr, "content-load: postgres: %s: %s\n", what.c_str(),
               conn != nullptr ? PQerrorMessage(conn) : "");
  std::exit(2);
}

// Runs `sql` (no parameters), exiting on error.
void Exec(PGconn* conn, const char* sql, ExecStatusType expected) {
  PGresult* result = PQexec(conn, sql);
  if (PQresultStatus(result) != expected) Fail(sql, conn);
  PQclear(result);
}

PGconn* Open(const std::string& conninfo) {
  PGconn* conn = PQconnectdb(conninfo.c_str());
  if (PQstatus(conn) != CONNECTION_OK) Fail("connect", conn);
  return conn;
}

std::string Json(const v1::Article& article) {
  std::string json;
  if (!google::protobuf::util::MessageToJsonString(article, &json).ok()) {
    Fail(absl::StrCat("JSON of ", article.web_url()), nullptr);
  }
  return json;
}

}  // namespace

struct PostgresPeer::Connections {
  std::mutex mu;
  std::vector<PGconn*> all;
  std::vector<PGconn*> free;

  // The calling thread's connection, taken from `free` on its first call.
  PGconn* Mine() {
    thread_local PGconn* mine = nullptr;
    thread_local const Connections* owner = nullptr;
    if (owner != this) {
      std::lock_guard<std::mutex> lock(mu);
      if (free.empty()) Fail("more load threads than connections", nullptr);
      mine = free.back();
      free.pop_back();
      owner = this;
    }
    return mine;
  }
};

PostgresPeer::PostgresPeer(std::string conninfo, const BenchCorpus* corpus)
    : conninfo_(std::move(conninfo)), corpus_(corpus) {}

PostgresPeer::~PostgresPeer() {
  if (connections_ == nullptr) return;
  for (PGconn* conn : connections_->all) PQfinish(conn);
}

double PostgresPeer::Load(uint64_t count) {
  PGconn* conn = Open(conninfo_);
  Exec(conn, kSchema, PGRES_COMMAND_OK);
  // COPY's text format, in chunks of about 1 MB: a backslash is an escape,
  // so JSON's are doubled; compact JSON and the generator's URLs hold no
  // tab, newline or backslash.
  std::vector<std::string> chunks(1);
  for (uint64_t i = 0; i < count; ++i) {
    const v1::Article article = corpus_->Article(i);
    absl::StrAppend(&chunks.back(), article.web_url(), "\t", i + 1, "\t",
                    absl::StrReplaceAll(Json(article), {{"\\", "\\\\"}}), "\n");
    if (chunks.back().size() > (1 << 20)) chunks.emplace_back();
  }
  const absl::Time start = absl::Now();
  Exec(conn, "COPY articles (url, revision, doc) FROM STDIN", PGRES_COPY_IN);
  for (const std::string& chunk : chunks) {
    if (PQputCopyData(conn, chunk.data(), static_cast<int>(chunk.size())) !=
        1) {
      Fail("COPY", conn);
    }
  }
  if (PQputCopyEnd(conn, nullptr) != 1) Fail("COPY end", conn);
  PGresult* result = PQgetResult(conn);
  if (PQresultStatus(result) != PGRES_COMMAND_OK) Fail("COPY", conn);
  PQclear(result);
  const double seconds = absl::ToDoubleSeconds(absl::Now() - start);
  Exec(conn, absl::StrCat("SELECT setval('revisions', ", count, ")").c_str(),
       PGRES_TUPLES_OK);
  Exec(conn, "VACUUM ANALYZE articles", PGRES_COMMAND_OK);
  PQfinish(conn);
  return count / seconds;
}

void PostgresPeer::Connect(int connections) {
  if (connections_ != nullptr) Fail("Connect called twice", nullptr);
  connections_ = std::make_unique<Connections>();
  for (int i = 0; i < connections; ++i) {
    PGconn* conn = Open(conninfo_);
    for (const auto& [name, sql] :
         {std::pair{"get", kGet}, std::pair{"upsert", kUpsert}}) {
      PGresult* result = PQprepare(conn, name, sql, 0, nullptr);
      if (PQresultStatus(result) != PGRES_COMMAND_OK) Fail(name, conn);
      PQclear(result);
    }
    connections_->all.push_back(conn);
  }
  connections_->free = connections_->all;
}

void PostgresPeer::Checkpoint() {
  PGconn* conn = Open(conninfo_);
  Exec(conn, "CHECKPOINT", PGRES_COMMAND_OK);
  PQfinish(conn);
}

bool PostgresPeer::Get(const std::string& url) {
  const char* values[] = {url.c_str()};
  PGresult* result = PQexecPrepared(connections_->Mine(), "get", 1, values,
                                    nullptr, nullptr, 0);
  const bool found =
      PQresultStatus(result) == PGRES_TUPLES_OK && PQntuples(result) == 1;
  PQclear(result);
  return found;
}

bool PostgresPeer::Put(const v1::Article& article) {
  const std::string json = Json(article);
  const char* values[] = {article.web_url().c_str(), json.c_str()};
  PGresult* result = PQexecPrepared(connections_->Mine(), "upsert", 2, values,
                                    nullptr, nullptr, 0);
  const bool ok = PQresultStatus(result) == PGRES_COMMAND_OK;
  PQclear(result);
  return ok;
}

}  // namespace content::bench
