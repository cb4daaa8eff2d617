#ifndef CONTENT_STORAGE_MEMORY_MEMORY_ENGINE_H_
#define CONTENT_STORAGE_MEMORY_MEMORY_ENGINE_H_

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "absl/base/thread_annotations.h"
#include "storage/engine.h"
#include "storage/sequence_counter.h"

namespace content {

// KvEngine in memory, for tests: a second engine under the store
// conformance suite, so that the suite tests the contract rather than
// RocksDB. Every apply copies the whole map (snapshots share the old one),
// so it suits small stores only. Nothing is written anywhere; "durable"
// means kept in the Volume, which outlives the engine. Thread-safe.
class MemoryEngine final : public KvEngine {
 public:
  // The data, as a disk holds it: a new engine on the same volume sees
  // everything earlier engines applied.
  class Volume {
   public:
    using Map = std::map<std::string, std::string, std::less<>>;

   private:
    friend class MemoryEngine;
    std::mutex mu;
    std::shared_ptr<const Map> data ABSL_GUARDED_BY(mu) =
        std::make_shared<const Map>();
  };

  explicit MemoryEngine(std::shared_ptr<Volume> volume = nullptr,
                        bool read_only = false);

  std::unique_ptr<KvSnapshot> GetSnapshot() override;
  absl::Status Apply(const KvWriteBatch& batch, int64_t sequence) override;
  int64_t LastSequence() override { return sequence_.Load(); }
  int64_t WaitForSequence(int64_t sequence, absl::Time deadline) override {
    return sequence_.WaitFor(sequence, deadline);
  }
  EngineLimits limits() const override;

 private:
  const std::shared_ptr<Volume> volume_;
  const bool read_only_;
  SequenceCounter sequence_;
};

}  // namespace content

#endif  // CONTENT_STORAGE_MEMORY_MEMORY_ENGINE_H_
