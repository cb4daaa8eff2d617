#include "service/list_query.h"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/time/time.h"

namespace content {
namespace {

using Field = ArticleQuery::Field;

// Bounds the work one filter asks for (about 700 comparisons at most).
constexpr size_t kMaxFilterBytes = 8192;

struct Token {
  enum class Kind { kWord, kString, kOperator, kEnd };
  Kind kind = Kind::kEnd;
  std::string text;     // a string's text unescaped
  size_t position = 0;  // 1-based
};

bool IsOperatorChar(char c) {
  return c == '=' || c == '<' || c == '>' || c == '!' || c == ':';
}

absl::Status ErrorAt(size_t position, absl::string_view what) {
  return absl::InvalidArgumentError(
      absl::StrCat("at character ", position, ": ", what));
}

absl::StatusOr<std::vector<Token>> Tokenize(absl::string_view text) {
  std::vector<Token> tokens;
  size_t i = 0;
  while (true) {
    while (i < text.size() && absl::ascii_isspace(text[i])) ++i;
    Token token;
    token.position = i + 1;
    if (i == text.size()) {
      tokens.push_back(token);
      return tokens;
    }
    const char c = text[i];
    if (c == '"' || c == '\'') {
      token.kind = Token::Kind::kString;
      ++i;
      while (i < text.size() && text[i] != c) {
        if (text[i] == '\\' && i + 1 < text.size()) ++i;
        token.text.push_back(text[i++]);
      }
      if (i == text.size()) {
        return ErrorAt(token.position, "the quoted string is not closed");
      }
      ++i;
    } else if (IsOperatorChar(c)) {
      token.kind = Token::Kind::kOperator;
      token.text.push_back(c);
      ++i;
      if (i < text.size() && text[i] == '=' && c != '=' && c != ':') {
        token.text.push_back(text[i++]);
      }
    } else if (c == '(' || c == ')') {
      return ErrorAt(token.position,
                     "parentheses are not supported; join comparisons "
                     "with AND");
    } else {
      token.kind = Token::Kind::kWord;
      while (i < text.size() && !absl::ascii_isspace(text[i]) &&
             !IsOperatorChar(text[i]) && text[i] != '"' && text[i] != '\'' &&
             text[i] != '(' && text[i] != ')') {
        token.text.push_back(text[i++]);
      }
    }
    tokens.push_back(std::move(token));
  }
}

enum class FieldKind { kString, kTopic, kBool, kTime, kQuality };

struct FieldSpec {
  const char* name;
  const char* snake_name;
  FieldKind kind;
  Field field;  // for equality fields
};

constexpr FieldSpec kFields[] = {
    {"category", "category", FieldKind::kString, Field::kCategory},
    {"type", "type", FieldKind::kString, Field::kType},
    {"provider.domain", "provider.domain", FieldKind::kString,
     Field::kProviderDomain},
    {"topics", "topics", FieldKind::kTopic, Field::kTopic},
    {"published", "published", FieldKind::kBool, Field::kPublished},
    {"publishedDateTime", "published_date_time", FieldKind::kTime,
     Field::kCategory},
    {"quality", "quality", FieldKind::kQuality, Field::kCategory},
};

const FieldSpec* FindField(absl::string_view name) {
  for (const FieldSpec& spec : kFields) {
    if (name == spec.name || name == spec.snake_name) return &spec;
  }
  return nullptr;
}

std::string FieldNames() {
  std::vector<std::string> names;
  for (const FieldSpec& spec : kFields) names.push_back(spec.name);
  return absl::StrJoin(names, ", ");
}

template <typename T>
void Tighten(std::optional<T>* min, std::optional<T>* max,
             const std::string& op, T value, T just_above, T just_below) {
  auto raise = [&](T bound) {
    if (!min->has_value() || **min < bound) *min = bound;
  };
  auto lower = [&](T bound) {
    if (!max->has_value() || bound < **max) *max = bound;
  };
  if (op == "=") {
    raise(value);
    lower(value);
  } else if (op == ">=") {
    raise(value);
  } else if (op == ">") {
    raise(just_above);
  } else if (op == "<=") {
    lower(value);
  } else {  // "<"
    lower(just_below);
  }
}

absl::Status AddComparison(const FieldSpec& spec, const Token& field_token,
                           const Token& op, const Token& value,
                           ArticleQuery* query) {
  const bool ordered =
      spec.kind == FieldKind::kTime || spec.kind == FieldKind::kQuality;
  const bool op_allowed =
      spec.kind == FieldKind::kTopic
          ? op.text == ":"
          : (op.text == "=" ||
             (ordered && (op.text == "<" || op.text == "<=" || op.text == ">" ||
                          op.text == ">=")));
  if (!op_allowed) {
    const char* allowed = spec.kind == FieldKind::kTopic ? ":"
                          : ordered                      ? "=, <, <=, >, >="
                                                         : "=";
    return ErrorAt(op.position,
                   absl::StrCat("operator ", op.text, " cannot be used with ",
                                field_token.text, "; use ", allowed));
  }
  switch (spec.kind) {
    case FieldKind::kString:
    case FieldKind::kTopic:
      query->equals.push_back({spec.field, value.text});
      return absl::OkStatus();
    case FieldKind::kBool:
      if (value.kind != Token::Kind::kWord ||
          (value.text != "true" && value.text != "false")) {
        return ErrorAt(
            value.position,
            absl::StrCat(field_token.text, " takes true or false, not '",
                         value.text, "'"));
      }
      query->equals.push_back({spec.field, value.text});
      return absl::OkStatus();
    case FieldKind::kTime: {
      absl::Time time;
      std::string error;
      // The range of google.protobuf.Timestamp, like the articles' times.
      static const absl::Time kFirst = absl::FromUnixSeconds(-62135596800);
      static const absl::Time kLast = absl::FromUnixSeconds(253402300800);
      if (!absl::ParseTime(absl::RFC3339_full, value.text, &time, &error) ||
          time < kFirst || time >= kLast) {
        return ErrorAt(value.position,
                       absl::StrCat("'", value.text,
                                    "' is not an RFC 3339 time from year "
                                    "0001 to 9999, such as "
                                    "\"2024-05-01T00:00:00Z\""));
      }
      Tighten(&query->published_min, &query->published_max, op.text, time,
              time + absl::Nanoseconds(1), time - absl::Nanoseconds(1));
      return absl::OkStatus();
    }
    case FieldKind::kQuality: {
      int64_t quality = 0;
      if (value.kind != Token::Kind::kWord ||
          !absl::SimpleAtoi(value.text, &quality) ||
          quality < std::numeric_limits<int32_t>::min() ||
          quality > std::numeric_limits<int32_t>::max()) {
        return ErrorAt(
            value.position,
            absl::StrCat("'", value.text, "' is not a 32-bit integer"));
      }
      // Bounds past the int32 range are empty or unbounded ranges alike.
      const int64_t above =
          std::min<int64_t>(quality + 1, std::numeric_limits<int32_t>::max());
      const int64_t below =
          std::max<int64_t>(quality - 1, std::numeric_limits<int32_t>::min());
      if ((op.text == ">" && quality == std::numeric_limits<int32_t>::max()) ||
          (op.text == "<" && quality == std::numeric_limits<int32_t>::min())) {
        // Nothing is beyond the extremes: an empty range.
        query->quality_min = std::numeric_limits<int32_t>::max();
        query->quality_max = std::numeric_limits<int32_t>::min();
        return absl::OkStatus();
      }
      Tighten<int32_t>(&query->quality_min, &query->quality_max, op.text,
                       static_cast<int32_t>(quality),
                       static_cast<int32_t>(above),
                       static_cast<int32_t>(below));
      return absl::OkStatus();
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<ArticleQuery> ParseFilter(absl::string_view filter) {
  if (filter.size() > kMaxFilterBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("is ", filter.size(), " bytes long; at most ",
                     kMaxFilterBytes, " are allowed"));
  }
  absl::StatusOr<std::vector<Token>> tokens = Tokenize(filter);
  if (!tokens.ok()) return tokens.status();
  ArticleQuery query;
  size_t i = 0;
  auto at = [&](size_t index) -> const Token& {
    return (*tokens)[std::min(index, tokens->size() - 1)];
  };
  if (at(0).kind == Token::Kind::kEnd) return query;
  while (true) {
    const Token& field = at(i);
    if (field.kind != Token::Kind::kWord) {
      return ErrorAt(
          field.position,
          field.kind == Token::Kind::kEnd
              ? "expected a comparison after AND"
              : absl::StrCat("expected a field name, not '", field.text, "'"));
    }
    if (field.text == "OR" || field.text == "NOT") {
      return ErrorAt(field.position, absl::StrCat(field.text,
                                                  " is not supported; join "
                                                  "comparisons with AND"));
    }
    const FieldSpec* spec = FindField(field.text);
    if (spec == nullptr) {
      return ErrorAt(field.position,
                     absl::StrCat("unknown field '", field.text,
                                  "'; filterable fields: ", FieldNames()));
    }
    const Token& op = at(i + 1);
    if (op.kind != Token::Kind::kOperator) {
      return ErrorAt(op.position,
                     absl::StrCat("expected an operator after ", field.text));
    }
    if (op.text == "!=" || op.text == "!") {
      return ErrorAt(op.position, "!= is not supported");
    }
    const Token& value = at(i + 2);
    if (value.kind != Token::Kind::kWord &&
        value.kind != Token::Kind::kString) {
      return ErrorAt(value.position, absl::StrCat("expected a value after ",
                                                  field.text, " ", op.text));
    }
    const absl::Status added = AddComparison(*spec, field, op, value, &query);
    if (!added.ok()) return added;
    i += 3;
    const Token& next = at(i);
    if (next.kind == Token::Kind::kEnd) return query;
    if (next.kind != Token::Kind::kWord || next.text != "AND") {
      return ErrorAt(
          next.position,
          absl::StrCat("expected AND or the end, not '", next.text, "'",
                       next.text == "OR" ? " (OR is not supported)" : ""));
    }
    ++i;
  }
}

absl::Status ParseOrderBy(absl::string_view order_by, ArticleQuery* query) {
  const std::vector<absl::string_view> words =
      absl::StrSplit(order_by, ' ', absl::SkipWhitespace());
  if (words.empty()) return absl::OkStatus();
  const auto bad = [&]() {
    return absl::InvalidArgumentError(absl::StrCat(
        "'", order_by,
        "' is not supported; use publishedDateTime desc (the default), "
        "publishedDateTime, quality desc or quality"));
  };
  if (words.size() > 2) return bad();
  if (words[0] == "publishedDateTime" || words[0] == "published_date_time") {
    query->sort_by = ArticleQuery::SortBy::kPublishedTime;
  } else if (words[0] == "quality") {
    query->sort_by = ArticleQuery::SortBy::kQuality;
  } else {
    return bad();
  }
  if (words.size() == 1 || words[1] == "asc") {
    query->descending = false;
  } else if (words[1] == "desc") {
    query->descending = true;
  } else {
    return bad();
  }
  return absl::OkStatus();
}

}  // namespace content
