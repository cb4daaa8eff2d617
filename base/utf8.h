#ifndef CONTENT_BASE_UTF8_H_
#define CONTENT_BASE_UTF8_H_

#include <cstddef>

#include "absl/strings/string_view.h"

namespace content {

// The offset of the first byte of `text` that does not begin a well-formed
// UTF-8 sequence, or text.size() when all of it is well-formed. Well-formed
// is the Unicode Standard's definition (chapter 3, table 3-7), the one
// protobuf applies to `string` fields: no overlong forms, no surrogates
// (U+D800..U+DFFF), nothing above U+10FFFF, no truncated sequence.
//
// Thread-safe: a pure function.
size_t FirstInvalidUtf8(absl::string_view text);

// Whether all of `text` is well-formed UTF-8.
inline bool IsValidUtf8(absl::string_view text) {
  return FirstInvalidUtf8(text) == text.size();
}

}  // namespace content

#endif  // CONTENT_BASE_UTF8_H_
