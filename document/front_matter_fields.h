#ifndef CONTENT_DOCUMENT_FRONT_MATTER_FIELDS_H_
#define CONTENT_DOCUMENT_FRONT_MATTER_FIELDS_H_

#include "google/protobuf/descriptor.h"

namespace content {

// Whether `field` is written as a front-matter key (under its JSON name).
// The body follows the front matter, `extra` holds the unknown keys, and
// the output-only fields belong to the server: none of them is a key.
inline bool IsFrontMatterField(const google::protobuf::FieldDescriptor* field) {
  const std::string& name = field->name();
  return !(field->containing_type()->name() == "Article" &&
           (name == "body" || name == "extra" || name == "revision" ||
            name == "create_time" || name == "update_time" || name == "etag"));
}

}  // namespace content

#endif  // CONTENT_DOCUMENT_FRONT_MATTER_FIELDS_H_
