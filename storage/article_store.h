#ifndef CONTENT_STORAGE_ARTICLE_STORE_H_
#define CONTENT_STORAGE_ARTICLE_STORE_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "content/v1/article.pb.h"
#include "storage/article_query.h"

namespace content {

// One change to one article. Keys are canonical URLs (UrlCanonicalizer); the
// store never canonicalises.
//
// Besides its key, an article may be reachable through alias keys (its
// originalUrl and AMP URLs). An article's own key always wins over an alias;
// an alias claimed by several articles belongs to the last writer; deleting
// an article removes the aliases it still owns.
struct ArticleMutation {
  enum class Kind { kPut, kDelete };

  Kind kind = Kind::kPut;
  // For kDelete, an alias key also names its article.
  std::string key;
  // For kPut: the content to store. Output-only fields (revision, create_time,
  // update_time, etag) are ignored and set by the store.
  v1::Article article;
  // For kPut: the canonical alias keys of the article, without `key` itself.
  std::vector<std::string> alias_keys;
  // For kPut: the canonical keys of the URLs its `related` items point at;
  // they feed the reverse index of ListReferencing.
  std::vector<std::string> related_keys;
  // For kPut: fails with ALREADY_EXISTS if an article is stored under `key`.
  bool create_only = false;
  // A kDelete of a missing key fails with NOT_FOUND unless this is set.
  bool allow_missing = false;
  // When non-empty, the stored article's etag must equal it or the write
  // fails with ABORTED; a missing article fails with NOT_FOUND.
  std::string expected_etag;
};

// What one mutation did.
struct MutationResult {
  // kPut: the article as stored now. kDelete: the article that was deleted,
  // or an empty Article if there was none.
  v1::Article article;
  // False for a put of content equal to what was stored (no new revision)
  // and for a delete of a missing key.
  bool changed = false;
  // True for a put of a key that had no article.
  bool created = false;
  // True for a delete that removed an article.
  bool deleted = false;
};

// One article a query found.
struct QueryHit {
  std::string key;  // what the article is stored under
  // The serialized v1::Article, so a page can be sent without parsing it.
  std::string article;
};

// How much one page of a query may hold.
struct PageLimits {
  size_t articles = 0;
  // The page ends before the article that would take the serialized
  // articles' total past this many bytes; the first article always fits.
  size_t bytes = SIZE_MAX;
};

// One page of a query's results.
struct QueryPage {
  std::vector<QueryHit> hits;
  // Where the next page starts (pass it as `start_after`), or "" when
  // nothing follows. Opaque; valid only for the same query.
  std::string next_start;
  // The store revision of the snapshot the page was read from.
  int64_t revision = 0;
  // Index entries read to make the page, for tests and monitoring.
  int64_t index_entries_read = 0;
};

// One committed change, as the change feed reports it.
struct ArticleChange {
  enum class Kind { kPut, kDelete };
  Kind kind = Kind::kPut;
  int64_t revision = 0;
  std::string key;
  // kPut: the article as stored by the change. kDelete: the article as it
  // was before it was deleted.
  v1::Article article;
  // kPut over an existing article: the version it replaced, reduced to
  // FilterFields (article_query.h).
  std::optional<v1::Article> previous;
};

// What ArticleStore::Verify found; `problems` is empty when the store is
// consistent.
struct VerifyReport {
  int64_t articles = 0;
  int64_t aliases = 0;
  int64_t revision = 0;
  std::vector<std::string> problems;  // the first 100 found
  // StateDigest::sha256 of the snapshot checked.
  std::string state_digest;
};

// Returns a description of what is wrong with the article stored under
// `key`, or "" if nothing is; for checks only the caller can make.
using ArticleCheck =
    std::function<std::string(absl::string_view key, const v1::Article&)>;

// A fingerprint of a store's state at one revision: stores that applied the
// same writes (replicas) have equal digests at equal revisions.
struct StateDigest {
  int64_t revision = 0;
  int64_t articles = 0;
  // SHA-256 (lowercase hex) over the articles, aliases and index entries in
  // key order, each as its key's and value's lengths (8 bytes, big-endian)
  // and bytes. The change feed is left out: how much of it a store keeps is
  // its own setting.
  std::string sha256;
};

// Durable storage of articles keyed by canonical URL.
//
// A store assigns every logical write (one Write call that changes something)
// the next store-wide revision; revisions increase monotonically and survive
// restarts. Each stored article carries the revision of its last change, its
// creation and update times and a content etag.
//
// Implementations are thread-safe.
class ArticleStore {
 public:
  virtual ~ArticleStore() = default;

  // Reads `keys` from one consistent snapshot. Returns one entry per key, in
  // order: the article stored under the key or, failing that, the article
  // that owns the key as an alias; std::nullopt where there is neither.
  // Fails only on storage errors.
  virtual absl::StatusOr<std::vector<std::optional<v1::Article>>> MultiGet(
      absl::Span<const std::string> keys) = 0;

  // Up to `limit.articles` articles matching `query`, in its order, of at
  // most `limit.bytes` together (at least one article when any matches),
  // from one snapshot, starting after the position `start_after` (a previous
  // page's next_start; "" for the first page). Served from indexes: the work
  // is proportional to the entries of the most specific postings, not to the
  // store. A page may hold fewer articles than the limit when more follow.
  virtual absl::StatusOr<QueryPage> Query(const ArticleQuery& query,
                                          absl::string_view start_after,
                                          PageLimits limit) = 0;

  // Like Query, for the articles whose `related` items point at
  // `related_key` (a canonical URL), in ascending key order.
  virtual absl::StatusOr<QueryPage> ListReferencing(
      absl::string_view related_key, absl::string_view start_after,
      PageLimits limit) = 0;

  // The changes committed with revisions from `from_revision` on, in
  // revision order, whole revisions only, about `limit` changes at most
  // (more when one revision holds more). OUT_OF_RANGE if the history no
  // longer holds `from_revision`: the caller must list again.
  virtual absl::StatusOr<std::vector<ArticleChange>> ReadChanges(
      int64_t from_revision, size_t limit) = 0;

  // Waits until the store's revision reaches `revision` or `deadline`
  // passes, and returns the store's revision.
  virtual int64_t WaitForRevision(int64_t revision, absl::Time deadline) = 0;

  // The revision of the last committed write; 0 for an empty store.
  virtual int64_t LastRevision() = 0;

  // The number of articles stored, exact.
  virtual int64_t ArticleCount() = 0;

  // Walks one snapshot of the whole store and checks that every record
  // parses, every etag matches its content, every revision is at most the
  // store's, the article count is exact, aliases and articles point at each
  // other, and the index holds exactly the entries the articles make; plus
  // `check` on each article. Memory stays flat in the store size. Fails
  // only if the store cannot be read.
  virtual absl::StatusOr<VerifyReport> Verify(const ArticleCheck& check) = 0;

  // The digest of one snapshot of the store; reads everything but the
  // change feed. Fails only if the store cannot be read.
  virtual absl::StatusOr<StateDigest> Digest() = 0;

  // Waits until reads reflect every write acknowledged before the call, by
  // this store or any replica of it (a linearizable read barrier), or
  // `deadline` passes (UNAVAILABLE). A store of one process has nothing to
  // wait for: OK at once.
  virtual absl::Status SyncReads(absl::Time deadline) {
    return absl::OkStatus();
  }
  // Whether SyncReads may wait (a network round trip), so that callers keep
  // it off threads that must not block.
  virtual bool SyncReadsBlocks() const { return false; }

  // OK while the store can serve, else why not (a replica cut off from its
  // log, or behind the log's retained history).
  virtual absl::Status Health() { return absl::OkStatus(); }

  // Applies `mutations` in order as one atomic unit: if any precondition
  // fails, nothing is written and the error of the first failing mutation is
  // returned (NOT_FOUND, ABORTED). On OK every change is durable to the
  // degree the store is configured for, and one result per mutation comes
  // back in order. ALREADY_EXISTS for a create_only put of a stored key.
  virtual absl::StatusOr<std::vector<MutationResult>> Write(
      std::vector<ArticleMutation> mutations) = 0;

  // Write of the one `mutation`, moved in: `Write({mutation})` would copy
  // it, article and all, out of the initializer list.
  absl::StatusOr<MutationResult> WriteOne(ArticleMutation mutation);

  // The article stored under `key`, or NOT_FOUND.
  absl::StatusOr<v1::Article> Get(const std::string& key);

  // The same articles as MultiGet, serialized. Stores that keep articles
  // serialized return their bytes without parsing them; this one parses and
  // serializes.
  virtual absl::StatusOr<std::vector<std::optional<std::string>>>
  MultiGetSerialized(absl::Span<const std::string> keys);

  // The article stored under `key`, serialized, or NOT_FOUND.
  absl::StatusOr<std::string> GetSerialized(const std::string& key);
};

}  // namespace content

#endif  // CONTENT_STORAGE_ARTICLE_STORE_H_
