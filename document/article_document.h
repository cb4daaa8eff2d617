#ifndef CONTENT_DOCUMENT_ARTICLE_DOCUMENT_H_
#define CONTENT_DOCUMENT_ARTICLE_DOCUMENT_H_

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
//  - The whole text must be UTF-8 (protobuf refuses anything else in a
//    string), the front matter moreover within YAML's printable characters
//    (no control characters but tab, LF and CR): see utf8_text.h.
//  - The front matter is YAML 1.2 as libyaml reads it (yaml_tree.h):
//    aliases, anchors and tags other than !!str are refused; tabs libyaml
//    refuses where YAML 1.2 allows them are read as YAML 1.2 reads them
//    when that is certain, refused with a hint otherwise.
//  - Each key maps to the Article field whose proto3 JSON name it is, with
//    its type checked: strings; integers (plain, in int32 range); booleans
//    (true/false); publishedDateTime as an RFC 3339 date-time with any
//    offset; provider, images and related as nested mappings/sequences.
//    A null value leaves the field unset.
//  - Top-level keys the schema does not know go to `extra` with their
//    values, nested ones included; unknown keys inside provider, images or
//    related items are errors, since they would have nowhere to go. A plain
//    scalar there is a number only if it is written as the writer writes
//    that number (YamlNumber in yaml_scalar.h), so that export gives it back
//    as written; else ("02700", "+1", "1.0", "1e3") it is that string.
//    Booleans and nulls are written back in one spelling (true, null).
//  - Errors are INVALID_ARGUMENT: "FILE:LINE:COLUMN: KEY: problem". Lines
//    count '\n's, columns count characters (a UTF-8 sequence is one). KEY
//    is the field path as in "related[0].provider.name", "body" for the
//    body, "front matter" for the front matter as a whole. A character the
//    text may not hold is reported where it is; a construct left open (a
//    quote, a bracket, a key without ':') where it starts.
//
// Writing: the front matter in the schema's (and the seed's) key order,
// then the unknown keys sorted by name, then the body. Reading what was
// written gives back the same article, output-only fields aside. Strings
// are quoted wherever a YAML 1.1 or 1.2 reader (PyYAML, Psych, libyaml)
// could take them for anything but that string: `country: "NO"`.
//
// Thread-safe: no shared state.

// Reads the document `text`; `file` names it in error messages.
absl::StatusOr<v1::Article> ParseArticleDocument(absl::string_view text,
                                                 absl::string_view file);

// Writes `article` as a document. Output-only fields are left out.
std::string FormatArticleDocument(const v1::Article& article);

}  // namespace content

#endif  // CONTENT_DOCUMENT_ARTICLE_DOCUMENT_H_
