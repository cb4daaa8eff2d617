#ifndef CONTENT_STORAGE_ROCKSDB_ROCKSDB_OPTIONS_H_
#define CONTENT_STORAGE_ROCKSDB_ROCKSDB_OPTIONS_H_

// RocksDB settings and statuses; private to storage/rocksdb/.

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "rocksdb/options.h"
#include "rocksdb/status.h"
#include "storage/rocksdb/rocksdb_engine.h"

namespace content {

// `status` as an absl::Status with `what` in front of its message: NoSpace
// is RESOURCE_EXHAUSTED, Corruption DATA_LOSS, Busy/TimedOut/TryAgain
// UNAVAILABLE, anything else INTERNAL.
absl::Status FromRocks(const rocksdb::Status& status, absl::string_view what);

// Options chosen for this workload (point reads by URL, ~3 KB values, range
// scans for listing); the README explains each choice.
rocksdb::Options MakeOptions(const RocksDbOptions& engine_options);

}  // namespace content

#endif  // CONTENT_STORAGE_ROCKSDB_ROCKSDB_OPTIONS_H_
