#ifndef CONTENT_BENCH_POSTGRES_PEER_H_
#define CONTENT_BENCH_POSTGRES_PEER_H_

#include <cstdint>
#include <memory>
#include <string>

#include "bench/bench_corpus.h"

namespace content::bench {

// PostgreSQL 15 as the peer a team would most likely build this service on:
// each article a JSONB row keyed by its webUrl, with the indexes our queries
// need (a GIN index on topics; btree indexes on (category, time), (provider
// domain, time), (type, time), time and quality) and a change row written in
// the same transaction as each upsert (our change feed). The schema is
// created by Load. Calls use libpq's extended protocol with statements
// prepared once per connection ("prepared" in pgbench's terms), one
// connection per load thread.
class PostgresPeer {
 public:
  // `conninfo`: a libpq connection string. Exits the process with a message
  // on any PostgreSQL error, as the benchmark cannot go on.
  PostgresPeer(std::string conninfo, const BenchCorpus* corpus);
  ~PostgresPeer();

  // Creates the schema (dropping an earlier one) and loads articles
  // 0 .. count - 1 with one COPY into the indexed table, committed. The
  // rows (proto3 JSON) are rendered before the clock starts; returns the
  // documents per second of the COPY alone.
  double Load(uint64_t count);

  // Opens `connections` connections, each with its statements prepared, for
  // the calls below; a load thread takes one on its first call and keeps
  // it. Call once.
  void Connect(int connections);
  // Writes every dirty page now (CHECKPOINT), so its cost can be measured.
  void Checkpoint();
  // A point read of the article at `url` (its webUrl). Returns true if it
  // was found.
  bool Get(const std::string& url);
  // A durable upsert of `article`, with its change row, in one transaction.
  bool Put(const v1::Article& article);

 private:
  struct Connections;
  const std::string conninfo_;
  const BenchCorpus* const corpus_;
  std::unique_ptr<Connections> connections_;
};

}  // namespace content::bench

#endif  // CONTENT_BENCH_POSTGRES_PEER_H_
