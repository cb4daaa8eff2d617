#ifndef CONTENT_DOCUMENT_UTF8_TEXT_H_
#define CONTENT_DOCUMENT_UTF8_TEXT_H_

#include <cstddef>
#include <optional>
#include <string>

#include "absl/strings/string_view.h"

namespace content {

// Which characters a text may hold.
enum class CharacterSet {
  // Well-formed UTF-8 (base/utf8.h): no overlong form, no surrogate
  // (U+D800..U+DFFF), nothing past U+10FFFF, no truncated sequence. What
  // protobuf requires of a string field.
  kUtf8,
  // kUtf8 within YAML 1.2's printable set (c-printable), which libyaml
  // enforces: no C0 control but tab, LF and CR, no DEL, no C1 control but
  // NEL, no U+FFFE or U+FFFF.
  kYaml,
};

// A character a text may not hold: its first byte, how many bytes it spans
// (1 for a byte that is not UTF-8), and what is wrong with it, e.g.
// "invalid UTF-8 (byte 0xE9)" (a Latin-1 letter), "invalid UTF-8 (bytes
// 0xED 0xA0 0x80)" (a surrogate).
struct CharacterFault {
  size_t offset = 0;
  size_t length = 1;
  std::string problem;
};

// The first character of `text` outside `set`, if any.
std::optional<CharacterFault> FindCharacterFault(absl::string_view text,
                                                 CharacterSet set);

// A place in a text: `line` counts the '\n' before it (from 0), `column`
// the characters since the line began (from 1), where a UTF-8 sequence is
// one character. Positions are meant for well-formed text (up to the first
// fault, say); there a byte that begins no sequence counts as one.
struct TextPosition {
  int line = 0;
  int column = 1;
};

// The position of the byte at `offset` (at most text.size()).
TextPosition PositionOf(absl::string_view text, size_t offset);

// The offset and position of a character given its index: the number of
// characters before it, as libyaml counts them in its marks. Cheap when
// asked in increasing order, as a parser's marks come: each step costs the
// characters it passes; a step back starts again from the beginning.
class CharacterCursor {
 public:
  explicit CharacterCursor(absl::string_view text) : text_(text) {}

  // Past the end of the text, the end of the text.
  void MoveTo(size_t index);
  size_t offset() const { return offset_; }
  TextPosition position() const { return position_; }

 private:
  absl::string_view text_;
  size_t index_ = 0;
  size_t offset_ = 0;
  TextPosition position_;
};

}  // namespace content

#endif  // CONTENT_DOCUMENT_UTF8_TEXT_H_
