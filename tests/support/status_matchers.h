#ifndef CONTENT_TESTS_SUPPORT_STATUS_MATCHERS_H_
#define CONTENT_TESTS_SUPPORT_STATUS_MATCHERS_H_

#include <ostream>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "gmock/gmock.h"

// Abseil 20220623 ships no status matchers; these are the two the tests use.

namespace content::testing {

inline const absl::Status& GetStatus(const absl::Status& status) {
  return status;
}
template <typename T>
const absl::Status& GetStatus(const absl::StatusOr<T>& status_or) {
  return status_or.status();
}

// Matches an absl::Status or absl::StatusOr<T> that is OK.
MATCHER(IsOk, "is OK") {
  const absl::Status& status = GetStatus(arg);
  *result_listener << status;
  return status.ok();
}

// Matches an absl::Status or absl::StatusOr<T> with code `code`.
MATCHER_P(StatusIs, code, "has code " + absl::StatusCodeToString(code)) {
  const absl::Status& status = GetStatus(arg);
  *result_listener << status;
  return status.code() == code;
}

}  // namespace content::testing

#endif  // CONTENT_TESTS_SUPPORT_STATUS_MATCHERS_H_
