// Fuzzes URL canonicalisation: no crash on any input, and a canonical URL is
// its own canonical form (otherwise one article could get two keys).

#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "url/canonical_url.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const content::UrlCanonicalizer* const canonicalizer =
      new content::UrlCanonicalizer();
  const absl::string_view url(reinterpret_cast<const char*>(data), size);
  absl::StatusOr<std::string> canonical = canonicalizer->Canonicalize(url);
  if (!canonical.ok()) return 0;
  absl::StatusOr<std::string> again = canonicalizer->Canonicalize(*canonical);
  if (!again.ok() || *again != *canonical) std::abort();
  return 0;
}
