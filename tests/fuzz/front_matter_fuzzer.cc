// Fuzzes the document codec: any input either fails cleanly or parses into
// an article that writes out and reads back as the same article.

#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "document/article_document.h"
#include "google/protobuf/util/message_differencer.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view text(reinterpret_cast<const char*>(data), size);
  absl::StatusOr<content::v1::Article> article =
      content::ParseArticleDocument(text, "fuzz.md");
  if (!article.ok()) return 0;
  absl::StatusOr<content::v1::Article> again = content::ParseArticleDocument(
      content::FormatArticleDocument(*article), "again.md");
  if (!again.ok() ||
      !google::protobuf::util::MessageDifferencer::Equals(*article, *again)) {
    std::abort();  // the round trip is the codec's promise
  }
  return 0;
}
