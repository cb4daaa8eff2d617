// StageWrites, the pure half of the write path: the same writes against the
// same state at the same time stage the same engine writes (what replicas
// that apply one log rely on), and each write is judged against the state
// the writes before it leave.

#include "storage/write_staging.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "storage/apply_mutation.h"
#include "storage/memory/memory_engine.h"
#include "tests/support/status_matchers.h"

namespace content {
namespace {

using ::content::testing::IsOk;
using ::content::testing::StatusIs;

ArticleMutation Put(const std::string& key, const std::string& title) {
  ArticleMutation mutation;
  mutation.key = key;
  mutation.article.set_web_url(key);
  mutation.article.set_title(title);
  mutation.alias_keys = {key + "/amp"};
  PrepareMutation(&mutation);
  return mutation;
}

// Stages the three writes below on a fresh engine holding "a"; returns the
// group.
StagedGroup StageOnFreshEngine(absl::Time now) {
  MemoryEngine engine;
  std::vector<ArticleMutation> setup = {Put("https://a.example/", "A")};
  std::vector<ArticleMutation>* setup_writes[] = {&setup};
  StagedGroup first = StageWrites(*engine.GetSnapshot(), 0, now, setup_writes);
  EXPECT_THAT(engine.Apply(first.batch, first.last_revision), IsOk());

  const std::string etag = Put("https://a.example/", "A").article.etag();
  std::vector<ArticleMutation> update = {Put("https://a.example/", "A2")};
  update[0].expected_etag = etag;
  // Judged after the update: the etag no longer matches.
  std::vector<ArticleMutation> stale = {Put("https://a.example/", "A3")};
  stale[0].expected_etag = etag;
  // Content equal to what the update stored: no new revision.
  std::vector<ArticleMutation> same = {Put("https://a.example/", "A2")};
  std::vector<ArticleMutation> other = {Put("https://b.example/", "B")};
  std::vector<ArticleMutation>* writes[] = {&update, &stale, &same, &other};
  return StageWrites(*engine.GetSnapshot(), engine.LastSequence(), now, writes);
}

TEST(WriteStagingTest, EachWriteIsJudgedAfterTheOnesBeforeIt) {
  const StagedGroup group = StageOnFreshEngine(absl::FromUnixSeconds(1e9));
  ASSERT_EQ(group.writes.size(), 4u);
  EXPECT_THAT(group.writes[0].result, IsOk());
  EXPECT_EQ(group.writes[0].revision, 2);
  EXPECT_THAT(group.writes[1].result.status(),
              StatusIs(absl::StatusCode::kAborted));
  EXPECT_EQ(group.writes[1].revision, 0);
  ASSERT_THAT(group.writes[2].result, IsOk());
  EXPECT_FALSE(group.writes[2].result->front().changed);
  EXPECT_EQ(group.writes[2].revision, 0);
  EXPECT_EQ(group.writes[3].revision, 3);
  EXPECT_EQ(group.last_revision, 3);
  EXPECT_EQ(group.articles_added, 1);
}

TEST(WriteStagingTest, EqualInputsStageEqualWrites) {
  const absl::Time now = absl::FromUnixSeconds(1e9);
  const StagedGroup one = StageOnFreshEngine(now);
  const StagedGroup two = StageOnFreshEngine(now);
  ASSERT_EQ(one.batch.operations().size(), two.batch.operations().size());
  for (size_t i = 0; i < one.batch.operations().size(); ++i) {
    const KvWriteBatch::Operation& a = one.batch.operations()[i];
    const KvWriteBatch::Operation& b = two.batch.operations()[i];
    EXPECT_EQ(a.kind, b.kind);
    EXPECT_EQ(a.key, b.key);
    EXPECT_EQ(a.value, b.value) << a.key;
  }
  // The time is an input: another one stages other records.
  const StagedGroup later = StageOnFreshEngine(now + absl::Seconds(1));
  EXPECT_NE(later.batch.operations()[0].value, one.batch.operations()[0].value);
}

TEST(WriteStagingTest, AnUnreadableStateFailsALogEntryWhole) {
  MemoryEngine engine;
  KvWriteBatch damage;
  damage.Put("a:https://a.example/", "\xff not a record");
  ASSERT_THAT(engine.Apply(damage, 1), IsOk());
  const absl::Time now = absl::FromUnixSeconds(1e9);

  // A store's own group: only the write that met the damage fails.
  std::vector<ArticleMutation> damaged = {Put("https://a.example/", "A")};
  std::vector<ArticleMutation> fine = {Put("https://b.example/", "B")};
  std::vector<ArticleMutation>* writes[] = {&damaged, &fine};
  const StagedGroup group = StageWrites(*engine.GetSnapshot(), 1, now, writes);
  EXPECT_THAT(group.failure, IsOk());
  EXPECT_THAT(group.writes[0].result.status(),
              StatusIs(absl::StatusCode::kDataLoss));
  EXPECT_EQ(group.writes[1].revision, 2);

  // A log entry, which every replica must apply alike: nothing is staged,
  // so that the entry is applied again rather than differently here.
  std::vector<ArticleMutation> again = {Put("https://b.example/", "B")};
  std::vector<ArticleMutation> damaged_again = {Put("https://a.example/", "A")};
  std::vector<ArticleMutation>* entry[] = {&again, &damaged_again};
  const StagedGroup failed = StageWrites(*engine.GetSnapshot(), 1, now, entry,
                                         RevisionPolicy::kOneForAll);
  EXPECT_THAT(failed.failure, StatusIs(absl::StatusCode::kDataLoss));
  EXPECT_TRUE(failed.batch.empty());
}

}  // namespace
}  // namespace content
