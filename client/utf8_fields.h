#ifndef CONTENT_CLIENT_UTF8_FIELDS_H_
#define CONTENT_CLIENT_UTF8_FIELDS_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/message.h"

namespace content {

// OK if every `string` field of `message` (nested messages, repeated
// fields and map entries included) holds well-formed UTF-8, as protobuf
// requires of proto3 strings; otherwise INVALID_ARGUMENT naming the first
// offending field as a path below `root` (e.g. "article.related[2].title")
// and the byte offset within it. The client library checks every message
// it sends, because protobuf serialises such a message anyway (logging an
// error) and the server then cannot parse it.
//
// Thread-safe: reads `message` only.
absl::Status CheckUtf8Fields(const google::protobuf::Message& message,
                             absl::string_view root);

}  // namespace content

#endif  // CONTENT_CLIENT_UTF8_FIELDS_H_
