#ifndef CONTENT_STORAGE_WRITE_STAGING_H_
#define CONTENT_STORAGE_WRITE_STAGING_H_

// The first half of the write path, "stage against a state, then commit":
// what a group of writes changes, as engine writes, judged against one
// snapshot. Private to storage/.

#include <cstdint>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "storage/article_store.h"
#include "storage/engine.h"

namespace content {

// What one write of the group came to.
struct StagedWrite {
  // Its results, or the error of its first failing precondition (NOT_FOUND,
  // ABORTED, ALREADY_EXISTS) or of reading the state (DATA_LOSS, ...), in
  // which case it stages nothing.
  absl::StatusOr<std::vector<MutationResult>> result;
  // The revision it was given; 0 when it failed or changed nothing.
  int64_t revision = 0;
};

// The engine writes of a group and what each write came to.
struct StagedGroup {
  KvWriteBatch batch;               // articles, aliases, index entries, changes
  int64_t last_revision = 0;        // the revision the batch commits as
  int64_t articles_added = 0;       // created minus deleted
  std::vector<StagedWrite> writes;  // one per write, in order
  // kOneForAll only: why the state could not be read (nothing is staged,
  // and the entry must be applied again), else OK.
  absl::Status failure;
};

// How the writes of a group get revisions.
enum class RevisionPolicy {
  // Each write that changes something gets the next revision: the group
  // commit of one store.
  kOnePerWrite,
  // All writes get `revision` + 1, the group's one revision (its changes
  // numbered in order): an entry of a replicated log, whose revision is the
  // log's. last_revision is `revision` + 1 even when nothing changes.
  kOneForAll,
};

// Stages `writes` in order on top of `state`, the store as of revision
// `revision`, at time `now`: each write sees the writes staged before it;
// each mutation of a write sees the mutations before it. The mutations
// (prepared by PrepareMutation) are consumed. Deterministic: equal inputs
// give equal output, on any machine.
StagedGroup StageWrites(KvSnapshot& state, int64_t revision, absl::Time now,
                        absl::Span<std::vector<ArticleMutation>* const> writes,
                        RevisionPolicy policy = RevisionPolicy::kOnePerWrite);

}  // namespace content

#endif  // CONTENT_STORAGE_WRITE_STAGING_H_
