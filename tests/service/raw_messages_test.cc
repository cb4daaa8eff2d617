#include "service/raw_messages.h"

#include <string>
#include <vector>

#include "content/v1/article_service.pb.h"
#include "gtest/gtest.h"

namespace content {
namespace {

// The bytes of `buffer`, all its slices joined.
std::string Flatten(const grpc::ByteBuffer& buffer) {
  grpc::Slice flat;
  EXPECT_TRUE(buffer.DumpToSingleSlice(&flat).ok());
  return std::string(reinterpret_cast<const char*>(flat.begin()), flat.size());
}

TEST(RawMessageBuilderTest, SmallAndLargeFieldsParseAsTheMessage) {
  v1::Article small;
  small.set_title("short");
  v1::Article large;
  large.set_title(std::string(5000, 't'));
  large.set_body(std::string(300000, 'b'));

  RawMessageBuilder builder;
  builder.AddLengthDelimited(v1::ListArticlesResponse::kArticlesFieldNumber,
                             small.SerializeAsString());
  builder.AddLengthDelimited(v1::ListArticlesResponse::kArticlesFieldNumber,
                             large.SerializeAsString());
  builder.AddLengthDelimited(v1::ListArticlesResponse::kArticlesFieldNumber,
                             small.SerializeAsString());
  builder.AddLengthDelimited(
      v1::ListArticlesResponse::kNextPageTokenFieldNumber, "token");
  builder.AddVarint(v1::ListArticlesResponse::kRevisionFieldNumber,
                    uint64_t{1} << 40);
  const grpc::ByteBuffer buffer = builder.Finish();
  std::vector<grpc::Slice> slices;
  ASSERT_TRUE(buffer.Dump(&slices).ok());
  EXPECT_EQ(slices.size(), 3u);  // small fields, the large article, the rest

  v1::ListArticlesResponse response;
  ASSERT_TRUE(response.ParseFromString(Flatten(buffer)));
  ASSERT_EQ(response.articles_size(), 3);
  EXPECT_EQ(response.articles(0).title(), "short");
  EXPECT_EQ(response.articles(1).body(), large.body());
  EXPECT_EQ(response.articles(2).title(), "short");
  EXPECT_EQ(response.next_page_token(), "token");
  EXPECT_EQ(response.revision(), int64_t{1} << 40);
}

TEST(RawMessageBuilderTest, EmptyMessageIsEmpty) {
  RawMessageBuilder builder;
  const grpc::ByteBuffer buffer = builder.Finish();
  EXPECT_EQ(buffer.Length(), 0u);
}

}  // namespace
}  // namespace content
