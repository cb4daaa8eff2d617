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
  absl::StatusOr<std::string> key = codec->Decode(token);
  if (!key.ok()) return 0;
  absl::StatusOr<std::string> again = codec->Decode(codec->Encode(*key));
  if (!again.ok() || *again != *key) std::abort();
  return 0;
}
