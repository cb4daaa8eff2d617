#include "service/page_token.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <unistd.h>

#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "base/sha256.h"
#include "base/whole_file.h"

namespace content {
namespace {

constexpr char kVersion = '\x02';
constexpr size_t kScopeBytes = 8;
constexpr size_t kTagBytes = 16;
constexpr size_t kSecretBytes = 32;

absl::Status BadToken(absl::string_view why) {
  return absl::InvalidArgumentError(why);
}

// Tells queries apart; the HMAC tag, not this, makes tokens unforgeable.
std::string ScopeDigest(absl::string_view scope) {
  return Sha256Digest(scope).substr(0, kScopeBytes);
}

}  // namespace

PageTokenCodec::PageTokenCodec(std::string secret)
    : secret_(std::move(secret)) {}

std::string PageTokenCodec::Tag(absl::string_view payload) const {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), secret_.data(), static_cast<int>(secret_.size()),
       reinterpret_cast<const unsigned char*>(payload.data()), payload.size(),
       digest, &length);
  return std::string(reinterpret_cast<const char*>(digest), kTagBytes);
}

std::string PageTokenCodec::Encode(absl::string_view scope,
                                   absl::string_view position) const {
  std::string token = absl::StrCat(absl::string_view(&kVersion, 1),
                                   ScopeDigest(scope), position);
  token += Tag(token);
  return absl::WebSafeBase64Escape(token);
}

absl::StatusOr<std::string> PageTokenCodec::Decode(
    absl::string_view token, absl::string_view scope) const {
  std::string raw;
  // Re-encoding rejects non-canonical spellings (unused trailing bits), so
  // that one token has one spelling.
  if (!absl::WebSafeBase64Unescape(token, &raw) ||
      absl::WebSafeBase64Escape(raw) != token) {
    return BadToken("is not a token made by this service (bad encoding)");
  }
  if (raw.size() < 1 + kScopeBytes + kTagBytes || raw[0] != kVersion) {
    return BadToken("is not a token made by this service");
  }
  const absl::string_view payload(raw.data(), raw.size() - kTagBytes);
  const std::string expected = Tag(payload);
  if (CRYPTO_memcmp(expected.data(), raw.data() + payload.size(), kTagBytes) !=
      0) {
    return BadToken("has been altered or was made by another server");
  }
  if (payload.substr(1, kScopeBytes) != ScopeDigest(scope)) {
    return BadToken(
        "belongs to another query: filter, order_by and the other request "
        "fields must stay the same from page to page");
  }
  return std::string(payload.substr(1 + kScopeBytes));
}

absl::StatusOr<std::string> LoadOrCreateTokenSecret(const std::string& path) {
  absl::StatusOr<std::string> contents = ReadWholeFile(path);
  if (contents.ok() && contents->empty()) {
    // Left by a crash between creating and writing the file (versions that
    // did not write it atomically): nothing was ever signed with it.
    unlink(path.c_str());
    contents = absl::NotFoundError(path);
  }
  if (absl::IsNotFound(contents.status())) {
    unsigned char secret[kSecretBytes];
    if (RAND_bytes(secret, sizeof(secret)) != 1) {
      return absl::InternalError("cannot draw a random page-token secret");
    }
    const absl::Status created = CreateFileAtomically(
        path,
        absl::string_view(reinterpret_cast<const char*>(secret),
                          sizeof(secret)),
        0600);
    // ALREADY_EXISTS: another process created it first; use theirs.
    if (!created.ok() && !absl::IsAlreadyExists(created)) return created;
    contents = ReadWholeFile(path);
  }
  if (!contents.ok()) return contents.status();
  if (contents->size() < kTagBytes) {
    return absl::FailedPreconditionError(absl::StrCat(
        path, " must hold a secret of at least ", kTagBytes, " bytes"));
  }
  return contents;
}

}  // namespace content
