#ifndef CONTENT_CLIENT_YAML_SCALAR_H_
#define CONTENT_CLIENT_YAML_SCALAR_H_

#include <string>

#include "absl/strings/string_view.h"

namespace content {

// What a plain (unquoted) YAML scalar means under the YAML 1.2 core schema,
// restricted to the forms this project reads: null, true/false, decimal
// integers and floats; everything else is a string.
enum class PlainScalarKind { kNull, kBool, kInteger, kFloat, kString };

PlainScalarKind ClassifyPlainScalar(absl::string_view text);

// Appends `text` as a YAML scalar that reads back as exactly that string:
// plain when that is unambiguous (simple ASCII words), double-quoted with
// escapes otherwise.
void AppendYamlString(absl::string_view text, std::string* out);

}  // namespace content

#endif  // CONTENT_CLIENT_YAML_SCALAR_H_
