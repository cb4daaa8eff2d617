#include "base/utf8.h"

#include <cstdint>
#include <cstring>

namespace content {
namespace {

// The length of the well-formed sequence at the start of `text`, or 0.
// Table 3-7 of the Unicode Standard: the second byte's range depends on the
// first; every further byte is 80..BF.
size_t SequenceLength(absl::string_view text) {
  const auto byte = [&text](size_t i) { return static_cast<uint8_t>(text[i]); };
  const uint8_t lead = byte(0);
  if (lead < 0x80) return 1;
  size_t length = 0;
  uint8_t low = 0x80;
  uint8_t high = 0xBF;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    if (lead == 0xE0) low = 0xA0;   // overlong
    if (lead == 0xED) high = 0x9F;  // surrogates
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    if (lead == 0xF0) low = 0x90;   // overlong
    if (lead == 0xF4) high = 0x8F;  // beyond U+10FFFF
  } else {
    return 0;  // 80..C1, F5..FF never lead
  }
  if (text.size() < length) return 0;
  if (byte(1) < low || byte(1) > high) return 0;
  for (size_t i = 2; i < length; ++i) {
    if (byte(i) < 0x80 || byte(i) > 0xBF) return 0;
  }
  return length;
}

}  // namespace

size_t FirstInvalidUtf8(absl::string_view text) {
  size_t offset = 0;
  while (offset < text.size()) {
    // ASCII, the common case, eight bytes at a time.
    uint64_t word = 0;
    if (text.size() - offset >= sizeof(word)) {
      std::memcpy(&word, text.data() + offset, sizeof(word));
      if ((word & 0x8080808080808080u) == 0) {
        offset += sizeof(word);
        continue;
      }
    }
    const size_t length = SequenceLength(text.substr(offset));
    if (length == 0) return offset;
    offset += length;
  }
  return offset;
}

}  // namespace content
