#include "service/access_policy.h"

#include <fstream>
#include <iterator>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "base/sha256.h"

namespace content {
namespace {

constexpr absl::string_view kHashPrefix = "sha256:";
constexpr size_t kHexHashLength = 64;  // a SHA-256 digest in hex

bool ParseRole(absl::string_view name, Role* role) {
  for (Role candidate : {Role::kRead, Role::kWrite, Role::kAdmin}) {
    if (name == RoleName(candidate)) {
      *role = candidate;
      return true;
    }
  }
  return false;
}

bool IsLowerHex(absl::string_view text) {
  for (char c : text) {
    if (!absl::ascii_isxdigit(c) || absl::ascii_isupper(c)) return false;
  }
  return true;
}

// The token of an authorization header value "Bearer <token>". The scheme
// name is case-insensitive (RFC 7235 section 2.1) and is followed by one or
// more spaces, then a token of at least one character (RFC 6750 section
// 2.1).
absl::StatusOr<absl::string_view> BearerToken(absl::string_view value) {
  constexpr absl::string_view kScheme = "bearer";
  if (value.size() <= kScheme.size() ||
      !absl::EqualsIgnoreCase(value.substr(0, kScheme.size()), kScheme) ||
      value[kScheme.size()] != ' ') {
    return absl::UnauthenticatedError(
        "the authorization header must be \"Bearer <token>\"");
  }
  value.remove_prefix(kScheme.size());
  value = absl::StripLeadingAsciiWhitespace(value);
  if (value.empty()) {
    return absl::UnauthenticatedError(
        "the authorization header has the Bearer scheme but no token");
  }
  return value;
}

}  // namespace

absl::string_view RoleName(Role role) {
  switch (role) {
    case Role::kRead:
      return "read";
    case Role::kWrite:
      return "write";
    case Role::kAdmin:
      return "admin";
  }
  return "unknown";
}

std::string TokenHash(absl::string_view token) {
  return absl::BytesToHexString(Sha256Digest(token));
}

AccessPolicy AccessPolicy::AllowAll() { return AccessPolicy(); }

absl::StatusOr<AccessPolicy> AccessPolicy::Load(const std::string& path) {
  std::ifstream in(path);
  if (!in) {
    return absl::InvalidArgumentError(absl::StrCat(path, ": cannot be read"));
  }
  AccessPolicy policy;
  policy.enabled_ = true;
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    const auto error = [&](absl::string_view problem) {
      return absl::InvalidArgumentError(
          absl::StrCat(path, ":", number, ": ", problem));
    };
    absl::string_view content = line;
    content = content.substr(0, content.find('#'));
    const std::vector<absl::string_view> words =
        absl::StrSplit(content, absl::ByAnyChar(" \t\r"), absl::SkipEmpty());
    if (words.empty()) continue;
    Role role;
    if (!ParseRole(words[0], &role)) {
      return error(absl::StrCat("role must be read, write or admin, got \"",
                                words[0], "\""));
    }
    absl::string_view hash = words.size() > 1 ? words[1] : "";
    if (!absl::ConsumePrefix(&hash, kHashPrefix) ||
        hash.size() != kHexHashLength || !IsLowerHex(hash)) {
      return error(
          "expected ROLE sha256:HEX [NAME], HEX being 64 lowercase hex "
          "digits of the token's SHA-256");
    }
    if (!policy.role_by_hash_.emplace(hash, role).second) {
      return error("the same token hash is listed twice");
    }
  }
  if (in.bad()) {
    return absl::InvalidArgumentError(absl::StrCat(path, ": read failed"));
  }
  if (policy.role_by_hash_.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": lists no tokens, so nothing could be called"));
  }
  return policy;
}

absl::Status AccessPolicy::Authorize(const grpc::ServerContextBase& context,
                                     Role needed) const {
  if (!enabled_) return absl::OkStatus();
  const auto& metadata = context.client_metadata();
  const auto [header, end] = metadata.equal_range("authorization");
  if (header == end) {
    return absl::UnauthenticatedError(
        "this call needs an \"authorization: Bearer <token>\" header");
  }
  if (std::next(header) != end) {
    return absl::UnauthenticatedError(
        "the call has more than one authorization header; send exactly one");
  }
  absl::StatusOr<absl::string_view> token = BearerToken(
      absl::string_view(header->second.data(), header->second.size()));
  if (!token.ok()) return token.status();
  const auto entry = role_by_hash_.find(TokenHash(*token));
  if (entry == role_by_hash_.end()) {
    return absl::UnauthenticatedError("the bearer token is not known");
  }
  if (entry->second < needed) {
    return absl::PermissionDeniedError(
        absl::StrCat("this call needs the ", RoleName(needed),
                     " role; the token has ", RoleName(entry->second)));
  }
  return absl::OkStatus();
}

}  // namespace content
