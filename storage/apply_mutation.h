#ifndef CONTENT_STORAGE_APPLY_MUTATION_H_
#define CONTENT_STORAGE_APPLY_MUTATION_H_

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "content/v1/article.pb.h"
#include "storage/article_store.h"
#include "storage/stored_article.pb.h"

namespace content {

// Backend-independent semantics of one ArticleMutation, shared by every
// ArticleStore implementation.

// Clears the output-only fields of `article` and returns the hex digest of
// what is left, its content. Equal content gives equal etags in every process
// and on every machine.
std::string ContentEtag(v1::Article* article);

// The part of applying `mutation` that does not depend on what is stored:
// for a put, sets its article's etag to ContentEtag. Stores call it before
// their write queue, so concurrent writers hash in parallel rather than one
// after another in the queue's leader.
void PrepareMutation(ArticleMutation* mutation);

// Applies `mutation` (consuming its article), prepared by PrepareMutation,
// to `current` (what is stored under its key, if anything) as part of the write
// that gets `revision` at time `now`. On OK, `*current` holds the new state and
// the result says what happened; for a put, result.article is left empty
// because the stored article is in `*current` (the caller moves it out once it
// has written it, saving a copy). On a failed precondition returns NOT_FOUND,
// ABORTED or ALREADY_EXISTS (a create_only put of a stored article) and leaves
// `*current` untouched. Alias and index entries are the caller's to maintain.
absl::StatusOr<MutationResult> ApplyMutation(
    ArticleMutation&& mutation, int64_t revision, absl::Time now,
    std::optional<storage::StoredArticle>* current);

}  // namespace content

#endif  // CONTENT_STORAGE_APPLY_MUTATION_H_
