#ifndef CONTENT_CLIENT_ARTICLE_DOCUMENT_H_
#define CONTENT_CLIENT_ARTICLE_DOCUMENT_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "content/v1/article.pb.h"

namespace content {

// The article document codec: YAML front matter between '---' lines, then an
// optional Markdown body.
//
// Reading:
//  - A UTF-8 BOM and CRLF line endings are accepted. The first line must be
//    '---'; the next line that is exactly '---' closes the front matter (a
//    later '---' belongs to the body). The body is kept byte for byte.
//  - Each key maps to the Article field whose proto3 JSON name it is, with
//    its type checked: strings; integers (plain, in int32 range); booleans
//    (true/false); publishedDateTime as an RFC 3339 date-time with any
//    offset; provider, images and related as nested mappings/sequences.
//    A null value leaves the field unset.
//  - Top-level keys the schema does not know go to `extra` with their
//    values, nested ones included; unknown keys inside provider, images or
//    related items are errors, since they would have nowhere to go.
//  - Errors are INVALID_ARGUMENT: "FILE:LINE:COLUMN: KEY: problem".
//
// Writing: the front matter in the schema's (and the seed's) key order,
// then the unknown keys sorted by name, then the body. Reading what was
// written gives back the same article, output-only fields aside.
//
// Thread-safe: no shared state.

// Reads the document `text`; `file` names it in error messages.
absl::StatusOr<v1::Article> ParseArticleDocument(absl::string_view text,
                                                 absl::string_view file);

// Writes `article` as a document. Output-only fields are left out.
std::string FormatArticleDocument(const v1::Article& article);

}  // namespace content

#endif  // CONTENT_CLIENT_ARTICLE_DOCUMENT_H_
