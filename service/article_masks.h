#ifndef CONTENT_SERVICE_ARTICLE_MASKS_H_
#define CONTENT_SERVICE_ARTICLE_MASKS_H_

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "content/v1/article.pb.h"
#include "google/protobuf/field_mask.pb.h"

namespace content {

// Field masks over Article (AIP-157 read masks, AIP-134 update masks).
// Paths are field names, snake_case or camelCase ("provider.name",
// "publishedDateTime"); a repeated field can only be named whole.

// `mask` in canonical snake_case form, or INVALID_ARGUMENT naming the
// request field `field` and the first path that is not a field of Article.
// "*" stands for every field.
absl::StatusOr<google::protobuf::FieldMask> NormalizeArticleMask(
    absl::string_view field, const google::protobuf::FieldMask& mask);

// Keeps only the fields of a normalized `mask` in `article`; an empty mask
// or "*" keeps everything.
void ApplyReadMask(const google::protobuf::FieldMask& mask,
                   v1::Article* article);

// The serialized article `article` trimmed to a normalized `mask`, without
// parsing it when the mask keeps everything; DATA_LOSS if it does not parse.
absl::StatusOr<std::string> MaskSerialized(
    const google::protobuf::FieldMask& mask, std::string article);

// `current` with the fields of `mask` (as given in the request) taken from
// `update`: a field in the mask but unset in `update` is cleared, "*"
// replaces every field, and an empty mask stands for the fields set in
// `update`. INVALID_ARGUMENT (naming "update_mask") for an unknown or
// output-only path.
absl::StatusOr<v1::Article> ApplyUpdate(
    const v1::Article& current, const v1::Article& update,
    const google::protobuf::FieldMask& mask);

}  // namespace content

#endif  // CONTENT_SERVICE_ARTICLE_MASKS_H_
