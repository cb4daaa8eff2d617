#ifndef CONTENT_BASE_SHA256_H_
#define CONTENT_BASE_SHA256_H_

#include <openssl/evp.h>

#include <memory>
#include <string>

#include "absl/strings/string_view.h"

namespace content {

// SHA-256 (FIPS 180-4) through OpenSSL, incrementally. Not thread-safe.
class Sha256 {
 public:
  Sha256();
  void Update(absl::string_view bytes);
  // The 32-byte digest of everything updated so far; call once.
  std::string Digest();
  // Digest() as 64 lowercase hex digits; call once.
  std::string HexDigest();

 private:
  struct Free {
    void operator()(EVP_MD_CTX* context) const { EVP_MD_CTX_free(context); }
  };
  std::unique_ptr<EVP_MD_CTX, Free> context_;
};

// The 32-byte SHA-256 digest of `bytes`.
std::string Sha256Digest(absl::string_view bytes);

}  // namespace content

#endif  // CONTENT_BASE_SHA256_H_
