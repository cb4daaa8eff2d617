#include "document/utf8_text.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "base/utf8.h"

namespace content {
namespace {

// The length of the UTF-8 sequence that `lead` begins, in well-formed text;
// 1 for a byte that begins none.
size_t SequenceLength(unsigned char lead) {
  if (lead >= 0xF0 && lead <= 0xF4) return 4;
  if (lead >= 0xE0 && lead <= 0xEF) return 3;
  if (lead >= 0xC2 && lead <= 0xDF) return 2;
  return 1;
}

size_t CharacterLength(absl::string_view text, size_t offset) {
  return std::min(SequenceLength(static_cast<unsigned char>(text[offset])),
                  text.size() - offset);
}

// The first character of the well-formed `text` outside YAML 1.2's
// printable set (c-printable). In well-formed UTF-8 (no surrogates) those
// are: C0 controls but tab, LF and CR; DEL; C1 controls but NEL (C2 80..C2
// 9F); U+FFFE and U+FFFF (EF BF BE, EF BF BF).
std::optional<CharacterFault> FindUnprintable(absl::string_view text) {
  const auto byte = [text](size_t i) {
    return i < text.size() ? static_cast<unsigned char>(text[i]) : 0;
  };
  for (size_t offset = 0; offset < text.size(); ++offset) {
    const unsigned char lead = byte(offset);
    uint32_t code_point = lead;
    size_t length = 1;
    if (lead >= 0x20 && lead < 0x7F) continue;  // most of any text
    if (lead == 0xC2 && byte(offset + 1) <= 0x9F && byte(offset + 1) != 0x85) {
      code_point = byte(offset + 1);
      length = 2;
    } else if (lead == 0xEF && byte(offset + 1) == 0xBF &&
               byte(offset + 2) >= 0xBE) {
      code_point = 0xFFFE + (byte(offset + 2) - 0xBE);
      length = 3;
    } else if (lead >= 0x80 || lead == '\t' || lead == '\n' || lead == '\r') {
      continue;
    }
    return CharacterFault{
        offset, length,
        absl::StrFormat("character U+%04X is not allowed in YAML (inside "
                        "double quotes, write it as \\u%04X)",
                        code_point, code_point)};
  }
  return std::nullopt;
}

}  // namespace

std::optional<CharacterFault> FindCharacterFault(absl::string_view text,
                                                 CharacterSet set) {
  const size_t invalid = FirstInvalidUtf8(text);
  if (set == CharacterSet::kYaml) {
    // Before the first byte that is not UTF-8, all is well-formed.
    std::optional<CharacterFault> fault =
        FindUnprintable(text.substr(0, invalid));
    if (fault) return fault;
  }
  if (invalid == text.size()) return std::nullopt;
  // The bytes that tell what went wrong (a Latin-1 letter, a cut sequence,
  // a surrogate...): the first, and the continuation bytes after it.
  std::string bytes;
  const absl::string_view rest = text.substr(invalid, 4);
  for (size_t i = 0; i < rest.size(); ++i) {
    if (i > 0 && (static_cast<unsigned char>(rest[i]) & 0xC0) != 0x80) break;
    absl::StrAppendFormat(&bytes, "%s0x%02X", i == 0 ? "" : " ",
                          static_cast<unsigned char>(rest[i]));
  }
  return CharacterFault{
      invalid, 1,
      absl::StrCat("invalid UTF-8 (", bytes.size() > 4 ? "bytes " : "byte ",
                   bytes, ")")};
}

TextPosition PositionOf(absl::string_view text, size_t offset) {
  // A text holds no more characters than bytes: this walks to its end.
  CharacterCursor cursor(text.substr(0, offset));
  cursor.MoveTo(offset);
  return cursor.position();
}

void CharacterCursor::MoveTo(size_t index) {
  if (index < index_) *this = CharacterCursor(text_);
  for (; index_ < index && offset_ < text_.size(); ++index_) {
    if (text_[offset_] == '\n') {
      ++position_.line;
      position_.column = 1;
      ++offset_;
    } else {
      ++position_.column;
      offset_ += CharacterLength(text_, offset_);
    }
  }
}

}  // namespace content
