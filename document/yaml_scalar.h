#ifndef CONTENT_DOCUMENT_YAML_SCALAR_H_
#define CONTENT_DOCUMENT_YAML_SCALAR_H_

#include <string>

#include "absl/strings/string_view.h"

namespace content {

// What a plain (unquoted) YAML scalar means under the YAML 1.2 core schema,
// restricted to the forms this project reads: null, true/false, decimal
// integers and floats; everything else is a string.
enum class PlainScalarKind { kNull, kBool, kInteger, kFloat, kString };

PlainScalarKind ClassifyPlainScalar(absl::string_view text);

// The plain scalar for the finite `number` that reads back as it, the same
// in every YAML reader: the shortest digits that do, in fixed notation from
// 1e-7 up to 1e21 (where ECMAScript's numbers print so), in exponent form
// with a '.' in the mantissa otherwise ("1.5e+21", "1.0e-08", which YAML 1.1
// readers also take for floats: they want the '.').
std::string YamlNumber(double number);

// Appends `text` as a YAML scalar that every YAML reader (1.1, as PyYAML
// and Ruby's Psych read, and 1.2) reads back as exactly that string: plain
// for simple ASCII words that none takes for anything else (no bool or null
// in any letter case: yes, No, ON, off, y, ...; nothing starting with a
// digit, sign, dot or indicator, which leaves out every number, timestamp,
// "=" and "<<"), double-quoted with escapes otherwise.
void AppendYamlString(absl::string_view text, std::string* out);

}  // namespace content

#endif  // CONTENT_DOCUMENT_YAML_SCALAR_H_
