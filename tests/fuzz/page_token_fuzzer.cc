// Fuzzes page-token decoding: forged tokens are rejected without a crash,
// and whatever is accepted round-trips through Encode.

#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "service/page_token.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const content::PageTokenCodec* const codec =
      new content::PageTokenCodec("fuzzing secret, 32 bytes long!!");
  const absl::string_view token(reinterpret_cast<const char*>(data), size);
  absl::StatusOr<std::string> position = codec->Decode(token, "scope");
  if (!position.ok()) return 0;
  const std::string encoded = codec->Encode("scope", *position);
  absl::StatusOr<std::string> again = codec->Decode(encoded, "scope");
  if (!again.ok() || *again != *position) std::abort();
  if (codec->Decode(encoded, "another scope").ok()) std::abort();
  return 0;
}
