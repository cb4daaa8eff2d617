#include "document/corpus_generator.h"

#include <random>
#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace content {
namespace {

struct ProviderInfo {
  const char* name;
  const char* domain;
};

constexpr ProviderInfo kProviders[] = {
    {"Computer Weekly", "computerweekly.com"},
    {"SourceSecurity", "sourcesecurity.com"},
    {"The Daily Ledger", "dailyledger.example"},
    {"Tech Wire", "techwire.example"},
    {"Science Today", "sciencetoday.example"},
    {"Market Watcher", "marketwatcher.example"},
    {"Le Quotidien", "lequotidien.example"},
    {"Die Rundschau", "rundschau.example"},
    {"Ημερήσια Νέα", "imerisia.example"},
    {"Новости Дня", "novosti.example"},
    {"東京ニュース", "tokyo-news.example"},
    {"新闻日报", "xinwen.example"},
    {"الأخبار اليومية", "akhbar.example"},
    {"Health Post", "healthpost.example"},
    {"Sports Central", "sportscentral.example"},
    {"Green Planet", "greenplanet.example"},
    {"Auto Review", "autoreview.example"},
    {"Travel Notes", "travelnotes.example"},
    {"Fin Insider", "fininsider.example"},
    {"Culture Desk", "culturedesk.example"},
    {"Policy Review", "policyreview.example"},
    {"Data Journal", "datajournal.example"},
    {"Space Watch", "spacewatch.example"},
    {"Local Herald", "localherald.example"},
};

constexpr const char* kTopics[] = {
    "AI",          "Computer Vision", "Privacy",        "Security",
    "Cloud",       "Elections",       "Climate",        "Energy",
    "Health",      "Vaccines",        "Football",       "Tennis",
    "Markets",     "Startups",        "Banking",        "Crypto",
    "Space",       "Physics",         "Biology",        "Education",
    "Housing",     "Transport",       "Film",           "Music",
    "Books",       "Travel",          "Food",           "Fashion",
    "Law",         "Policing",        "Defence",        "Trade",
    "Jobs",        "Retail",          "Gaming",         "Mobile",
    "Open Source", "Robotics",        "Semiconductors", "Telecoms",
};

constexpr const char* kCategories[] = {"news",    "business", "technology",
                                       "science", "sport",    "culture"};
constexpr const char* kTypes[] = {"article", "article", "article", "video",
                                  "podcast"};

// Words per script; titles and excerpts mix them within one script.
const std::vector<std::vector<const char*>>& Vocabularies() {
  static const auto* const kWords = new std::vector<std::vector<const char*>>{
      {"police",  "facial",   "recognition", "technology", "case",
       "against", "market",   "growth",      "report",     "shows",
       "new",     "study",    "finds",       "government", "plans",
       "cloud",   "security", "breach",      "data",       "climate",
       "energy",  "prices",   "rise",        "fall",       "league",
       "wins"},
      {"αστυνομία", "τεχνολογία", "αγορά", "έρευνα", "νέα", "κυβέρνηση",
       "ενέργεια", "κλίμα", "δεδομένα", "ασφάλεια"},
      {"полиция", "технология", "рынок", "исследование", "новый",
       "правительство", "энергия", "климат", "данные", "безопасность"},
      {"警察", "技術", "市場", "研究", "新しい", "政府", "エネルギー", "気候",
       "データ", "安全"},
      {"الشرطة", "التكنولوجيا", "السوق", "دراسة", "جديد", "الحكومة", "الطاقة",
       "المناخ", "البيانات", "الأمن"},
  };
  return *kWords;
}

// splitmix64: decorrelates (seed, index) pairs into independent streams.
uint64_t Mix(uint64_t x) {
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

class Draw {
 public:
  explicit Draw(uint64_t seed) : engine_(seed) {}

  int Int(int low, int high) {  // inclusive
    return std::uniform_int_distribution<int>(low, high)(engine_);
  }
  bool Chance(double p) { return std::bernoulli_distribution(p)(engine_); }
  template <typename T, size_t N>
  const T& Pick(const T (&items)[N]) {
    return items[Int(0, N - 1)];
  }

  std::string Words(int low, int high) {
    const std::vector<const char*>& words =
        Vocabularies()[Chance(0.6) ? 0 : Int(1, Vocabularies().size() - 1)];
    std::vector<std::string> picked;
    const int count = Int(low, high);
    for (int i = 0; i < count; ++i)
      picked.push_back(words[Int(0, words.size() - 1)]);
    std::string text = absl::StrJoin(picked, " ");
    if (!text.empty() && text[0] >= 'a' && text[0] <= 'z') text[0] -= 'a' - 'A';
    return text;
  }

  google::protobuf::Timestamp Time() {
    google::protobuf::Timestamp time;
    // 2010-01-01 to 2025-12-31, whole minutes as in the seed.
    const int64_t minutes =
        std::uniform_int_distribution<int64_t>(0, 16 * 365 * 24 * 60)(engine_);
    time.set_seconds(1262304000 + minutes * 60);
    return time;
  }

  std::string Bytes(int count) {
    std::string bytes(count, '\0');
    for (char& c : bytes) c = static_cast<char>(Int(0, 255));
    return bytes;
  }

  std::string Body() {
    std::string body = absl::StrCat("# ", Words(3, 8), "\n");
    const int target = Int(200, 20000);
    while (static_cast<int>(body.size()) < target) {
      absl::StrAppend(&body, "\n", Words(20, 80), ".\n");
      if (Chance(0.2)) absl::StrAppend(&body, "\n- ", Words(2, 5), "\n");
      if (Chance(0.05))
        absl::StrAppend(&body, "\n---\n");  // a rule, not a fence
    }
    return body;
  }

 private:
  std::mt19937_64 engine_;
};

void FillImages(Draw& draw, const ProviderInfo& provider, int max,
                google::protobuf::RepeatedPtrField<v1::Image>* images) {
  const int count = draw.Int(0, max);
  for (int i = 0; i < count; ++i) {
    v1::Image* image = images->Add();
    image->set_url(absl::StrCat("https://cdn.", provider.domain, "/img/",
                                draw.Int(1, 999999), ".jpg"));
    image->set_width(draw.Int(100, 1920));
    image->set_height(draw.Int(100, 1080));
    image->set_is_cached(draw.Chance(0.7));
  }
}

google::protobuf::Value Unknown(Draw& draw, int depth) {
  google::protobuf::Value value;
  switch (draw.Int(0, depth > 1 ? 3 : 5)) {
    case 0:
      value.set_string_value(draw.Words(1, 3));
      break;
    case 1:
      value.set_number_value(draw.Int(-1000, 100000));
      break;
    case 2:
      value.set_bool_value(draw.Chance(0.5));
      break;
    case 3:
      value.set_string_value(absl::StrCat("ID-", draw.Int(0, 99999)));
      break;
    case 4:
      value.mutable_list_value();  // may stay empty
      for (int i = draw.Int(0, 3); i > 0; --i) {
        *value.mutable_list_value()->add_values() = Unknown(draw, depth + 1);
      }
      break;
    default:
      for (int i = draw.Int(1, 3); i > 0; --i) {
        (*value.mutable_struct_value()
              ->mutable_fields())[absl::StrCat("field", i)] =
            Unknown(draw, depth + 1);
      }
      break;
  }
  return value;
}

}  // namespace

v1::Article CorpusGenerator::Article(uint64_t index) const {
  Draw draw(Mix(seed_ ^ Mix(index)));
  const ProviderInfo& provider = draw.Pick(kProviders);
  v1::Article article;
  article.set_category(draw.Pick(kCategories));
  article.set_title(draw.Words(5, 14));
  article.set_excerpt(draw.Words(20, 45) + ".");
  *article.mutable_published_date_time() = draw.Time();
  const std::string path =
      absl::StrCat("/", article.category(), "/", index, "-",
                   absl::BytesToHexString(draw.Bytes(4)));
  article.set_web_url(absl::StrCat("https://www.", provider.domain, path));
  article.set_original_url(draw.Chance(0.3)
                               ? absl::StrCat("http://", provider.domain, path,
                                              "?utm_source=feed&utm_medium=rss")
                               : article.web_url());
  if (draw.Chance(0.2)) {
    article.set_amp_web_url(
        absl::StrCat("https://www.", provider.domain, "/amp", path));
  }
  article.set_type(draw.Pick(kTypes));
  article.set_quality(draw.Int(0, 100));
  article.set_heat(draw.Chance(0.3) ? -1 : draw.Int(0, 1000));
  article.set_published(draw.Chance(0.8));
  article.mutable_provider()->set_name(provider.name);
  article.mutable_provider()->set_domain(provider.domain);
  for (int i = draw.Int(1, 4); i > 0; --i)
    article.add_topics(draw.Pick(kTopics));
  FillImages(draw, provider, 4, article.mutable_images());
  for (int i = draw.Int(0, 5); i > 0; --i) {
    const ProviderInfo& other = draw.Pick(kProviders);
    v1::RelatedItem* related = article.add_related();
    related->set_title(draw.Words(5, 12));
    related->set_excerpt(draw.Words(15, 35));
    *related->mutable_published_date_time() = draw.Time();
    const std::string related_path =
        absl::StrCat("/story/", draw.Int(1, 99999999), ".html");
    related->set_web_url(
        absl::StrCat("https://www.", other.domain, related_path));
    related->set_amp_web_url(
        absl::StrCat("https://www.", other.domain, "/amp", related_path));
    related->set_cdn_amp_web_url(absl::StrCat(
        "https://www-", other.domain, ".cdn.ampproject.org/c/s/www.",
        other.domain, "/amp", related_path));
    related->set_type("article");
    related->mutable_provider()->set_name(other.name);
    related->mutable_provider()->set_domain(other.domain);
    related->set_quality(draw.Int(0, 100));
    FillImages(draw, other, 2, related->mutable_images());
  }
  article.set_secured(
      absl::StrCat(absl::Base64Escape(draw.Bytes(draw.Int(200, 400))), ";",
                   absl::Base64Escape(draw.Bytes(16))));
  if (draw.Chance(0.35)) article.set_body(draw.Body());
  if (draw.Chance(0.2)) {
    auto& fields = *article.mutable_extra()->mutable_fields();
    fields["legacyId"].set_string_value(absl::StrCat("L-", index));
    for (int i = draw.Int(0, 2); i > 0; --i) {
      fields[absl::StrCat("custom", i)] = Unknown(draw, 0);
    }
  }
  return article;
}

absl::Span<const char* const> CorpusGenerator::Topics() { return kTopics; }

}  // namespace content
