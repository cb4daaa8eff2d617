#include "document/yaml_scalar.h"

#include <charconv>
#include <cmath>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_format.h"

namespace content {
namespace {

bool AllDigits(absl::string_view text) {
  if (text.empty()) return false;
  for (char c : text) {
    if (!absl::ascii_isdigit(c)) return false;
  }
  return true;
}

bool IsDecimalFloat(absl::string_view text) {
  if (!text.empty() && (text[0] == '-' || text[0] == '+'))
    text.remove_prefix(1);
  const size_t exponent = text.find_first_of("eE");
  absl::string_view mantissa = text.substr(0, exponent);
  if (exponent != absl::string_view::npos) {
    absl::string_view power = text.substr(exponent + 1);
    if (!power.empty() && (power[0] == '-' || power[0] == '+')) {
      power.remove_prefix(1);
    }
    if (!AllDigits(power)) return false;
  }
  const size_t dot = mantissa.find('.');
  if (dot == absl::string_view::npos) return AllDigits(mantissa);
  const absl::string_view whole = mantissa.substr(0, dot);
  const absl::string_view fraction = mantissa.substr(dot + 1);
  return (whole.empty() || AllDigits(whole)) &&
         (fraction.empty() || AllDigits(fraction)) &&
         !(whole.empty() && fraction.empty());
}

// Simple words that every YAML reader reads back as the same string when
// written plain.
bool IsSafePlain(absl::string_view text) {
  if (text.empty() || !absl::ascii_isalpha(text.front()) ||
      text.back() == ' ') {
    return false;
  }
  for (char c : text) {
    if (!absl::ascii_isalnum(c) && c != ' ' && c != '-' && c != '_' &&
        c != '.' && c != '/') {
      return false;
    }
  }
  // Booleans and nulls of YAML 1.1 and 1.2, in any letter case (Psych
  // ignores it); the other typed scalars start with no letter.
  if (text.size() > 5) return true;
  const std::string word = absl::AsciiStrToLower(text);
  for (absl::string_view typed :
       {"y", "n", "yes", "no", "on", "off", "true", "false", "null"}) {
    if (word == typed) return false;
  }
  return true;
}

}  // namespace

PlainScalarKind ClassifyPlainScalar(absl::string_view text) {
  if (text.empty() || text == "~" || text == "null" || text == "Null" ||
      text == "NULL") {
    return PlainScalarKind::kNull;
  }
  if (text == "true" || text == "True" || text == "TRUE" || text == "false" ||
      text == "False" || text == "FALSE") {
    return PlainScalarKind::kBool;
  }
  absl::string_view digits = text;
  if (digits[0] == '-' || digits[0] == '+') digits.remove_prefix(1);
  if (AllDigits(digits)) return PlainScalarKind::kInteger;
  if (IsDecimalFloat(text)) return PlainScalarKind::kFloat;
  return PlainScalarKind::kString;
}

std::string YamlNumber(double number) {
  const double magnitude = std::abs(number);
  const bool fixed = magnitude == 0 || (magnitude >= 1e-7 && magnitude < 1e21);
  char buffer[64];  // fixed: at most 21 digits before the point, 24 after
  const char* end = std::to_chars(buffer, buffer + sizeof(buffer), number,
                                  fixed ? std::chars_format::fixed
                                        : std::chars_format::scientific)
                        .ptr;
  std::string text(buffer, static_cast<size_t>(end - buffer));
  const size_t exponent = text.find('e');
  if (exponent != std::string::npos && text.find('.') == std::string::npos) {
    text.insert(exponent, ".0");
  }
  return text;
}

void AppendYamlString(absl::string_view text, std::string* out) {
  if (IsSafePlain(text)) {
    out->append(text.data(), text.size());
    return;
  }
  out->push_back('"');
  for (size_t i = 0; i < text.size(); ++i) {
    const unsigned char c = text[i];
    switch (c) {
      case '"':
        out->append("\\\"");
        continue;
      case '\\':
        out->append("\\\\");
        continue;
      case '\n':
        out->append("\\n");
        continue;
      case '\t':
        out->append("\\t");
        continue;
      case '\r':
        out->append("\\r");
        continue;
      default:
        break;
    }
    if (c < 0x20 || c == 0x7F) {
      absl::StrAppendFormat(out, "\\x%02X", c);
      continue;
    }
    // YAML folds U+0085, U+2028 and U+2029 as line breaks and drops a BOM
    // even inside quotes; the C1 controls and U+FFFE/U+FFFF are outside its
    // printable set and refused by parsers: escape them all.
    const absl::string_view rest = text.substr(i);
    if (absl::StartsWith(rest, "\xC2\x85")) {
      out->append("\\N");
      i += 1;
    } else if (c == 0xC2 && rest.size() > 1 &&
               static_cast<unsigned char>(rest[1]) >= 0x80 &&
               static_cast<unsigned char>(rest[1]) <= 0x9F) {
      absl::StrAppendFormat(out, "\\u%04X",
                            static_cast<unsigned char>(rest[1]));
      i += 1;
    } else if (absl::StartsWith(rest, "\xEF\xBF\xBE") ||
               absl::StartsWith(rest, "\xEF\xBF\xBF")) {
      out->append(rest[2] == '\xBE' ? "\\uFFFE" : "\\uFFFF");
      i += 2;
    } else if (absl::StartsWith(rest, "\xE2\x80\xA8")) {
      out->append("\\L");
      i += 2;
    } else if (absl::StartsWith(rest, "\xE2\x80\xA9")) {
      out->append("\\P");
      i += 2;
    } else if (absl::StartsWith(rest, "\xEF\xBB\xBF")) {
      out->append("\\uFEFF");
      i += 2;
    } else {
      out->push_back(static_cast<char>(c));
    }
  }
  out->push_back('"');
}

}  // namespace content
