// Front-matter codec throughput against the parsers it could be built on.
//
//   build/bin/codec_benchmark --benchmark_repetitions=5
//       --benchmark_report_aggregates_only=true  (one command line)

#include <yaml-cpp/yaml.h>
#include <yaml.h>

#include <string>
#include <vector>

#include "base/whole_file.h"
#include "benchmark/benchmark.h"
#include "document/article_document.h"
#include "document/corpus_generator.h"

namespace content {
namespace {

std::string SeedDocument() {
  return ReadWholeFile(std::string(CONTENT_TEST_DATA_DIR) +
                       "/seed_document.txt")
      .value();
}

std::string SeedFrontMatter() {
  const std::string document = SeedDocument();
  return document.substr(4, document.rfind("---\n") - 4);
}

// Baseline: yaml-cpp's node API on the seed's front matter.
void BM_YamlCppLoadSeedFrontMatter(benchmark::State& state) {
  const std::string front_matter = SeedFrontMatter();
  for (auto _ : state) benchmark::DoNotOptimize(YAML::Load(front_matter));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_YamlCppLoadSeedFrontMatter);

// Baseline: libyaml's event parser alone, doing nothing with the events.
void BM_LibyamlEventsSeedFrontMatter(benchmark::State& state) {
  const std::string front_matter = SeedFrontMatter();
  for (auto _ : state) {
    yaml_parser_t parser;
    yaml_parser_initialize(&parser);
    yaml_parser_set_input_string(
        &parser, reinterpret_cast<const unsigned char*>(front_matter.data()),
        front_matter.size());
    yaml_event_t event;
    bool done = false;
    while (!done && yaml_parser_parse(&parser, &event)) {
      done = event.type == YAML_STREAM_END_EVENT;
      yaml_event_delete(&event);
    }
    yaml_parser_delete(&parser);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_LibyamlEventsSeedFrontMatter);

void BM_ParseSeedDocument(benchmark::State& state) {
  const std::string document = SeedDocument();
  for (auto _ : state) {
    benchmark::DoNotOptimize(ParseArticleDocument(document, "seed"));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ParseSeedDocument);

void BM_ParseGeneratedDocuments(benchmark::State& state) {
  const CorpusGenerator generator(1);
  std::vector<std::string> documents;
  size_t bytes = 0;
  for (int i = 0; i < 1000; ++i) {
    documents.push_back(FormatArticleDocument(generator.Article(i)));
    bytes += documents.back().size();
  }
  size_t next = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(
        ParseArticleDocument(documents[next++ % documents.size()], "doc"));
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["avg_bytes"] = static_cast<double>(bytes) / documents.size();
}
BENCHMARK(BM_ParseGeneratedDocuments);

void BM_FormatSeedDocument(benchmark::State& state) {
  const v1::Article article = *ParseArticleDocument(SeedDocument(), "seed");
  for (auto _ : state) benchmark::DoNotOptimize(FormatArticleDocument(article));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_FormatSeedDocument);

}  // namespace
}  // namespace content

BENCHMARK_MAIN();
