#ifndef CONTENT_SERVICE_ACCESS_POLICY_H_
#define CONTENT_SERVICE_ACCESS_POLICY_H_

#include <map>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "grpcpp/server_context.h"

namespace content {

// What a caller may do; each role includes the ones before it.
enum class Role { kRead = 0, kWrite = 1, kAdmin = 2 };

// "read", "write" or "admin".
absl::string_view RoleName(Role role);

// Decides whether a call may go ahead from its bearer token
// ("authorization: Bearer <token>" metadata).
//
// The tokens file has one token per line, `ROLE sha256:HEX [NAME]`, where HEX
// is the SHA-256 of the token (`printf %s "$TOKEN" | sha256sum`); `#` starts
// a comment. Only hashes are kept, in the file and in memory; a presented
// token is hashed and its hash looked up, so lookup timing reveals nothing
// about any token.
//
// Thread-safe: immutable after construction.
class AccessPolicy {
 public:
  // Every call is allowed, with or without a token (the default when no
  // tokens file is configured).
  static AccessPolicy AllowAll();

  // The policy of the tokens file at `path`. INVALID_ARGUMENT naming the file
  // and line for a malformed line, a duplicate hash, or an empty file.
  static absl::StatusOr<AccessPolicy> Load(const std::string& path);

  // OK if the call's token grants `needed`; UNAUTHENTICATED if it carries no
  // token, a malformed one or an unknown one, or more than one authorization
  // header (a call is judged on exactly one); PERMISSION_DENIED if the
  // token's role is below `needed`. The scheme name "Bearer" is matched
  // case-insensitively (RFC 7235 section 2.1, RFC 6750 section 2.1).
  // Messages never include the token.
  absl::Status Authorize(const grpc::ServerContextBase& context,
                         Role needed) const;

 private:
  AccessPolicy() = default;

  bool enabled_ = false;
  std::map<std::string, Role> role_by_hash_;  // hex SHA-256 -> role
};

// The hex SHA-256 of `token`, as the tokens file spells it after "sha256:".
std::string TokenHash(absl::string_view token);

}  // namespace content

#endif  // CONTENT_SERVICE_ACCESS_POLICY_H_
