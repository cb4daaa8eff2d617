#include "service/reflection_v1.h"

#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/descriptor.pb.h"

namespace content {
namespace {

using google::protobuf::DescriptorPool;
using google::protobuf::FieldDescriptor;
using google::protobuf::FileDescriptor;
using grpc::reflection::v1::ServerReflectionRequest;
using grpc::reflection::v1::ServerReflectionResponse;

constexpr int kInvalidArgument = 3;
constexpr int kNotFound = 5;

void SetError(int code, std::string message,
              ServerReflectionResponse* response) {
  response->mutable_error_response()->set_error_code(code);
  response->mutable_error_response()->set_error_message(std::move(message));
}

}  // namespace

// One ServerReflectionInfo stream: answers each request in turn.
class ReflectionV1Service::Stream final
    : public grpc::ServerBidiReactor<ServerReflectionRequest,
                                     ServerReflectionResponse> {
 public:
  explicit Stream(const std::vector<std::string>* services)
      : services_(services) {
    StartRead(&request_);
  }

  void OnReadDone(bool ok) override {
    if (!ok) {
      Finish(grpc::Status::OK);
      return;
    }
    response_.Clear();
    Answer();
    StartWrite(&response_);
  }

  void OnWriteDone(bool ok) override {
    if (!ok) {
      Finish(grpc::Status::CANCELLED);
      return;
    }
    StartRead(&request_);
  }

  void OnDone() override { delete this; }

 private:
  void Answer() {
    const DescriptorPool& pool = *DescriptorPool::generated_pool();
    response_.set_valid_host(request_.host());
    *response_.mutable_original_request() = request_;
    switch (request_.message_request_case()) {
      case ServerReflectionRequest::kListServices:
        for (const std::string& name : *services_) {
          response_.mutable_list_services_response()->add_service()->set_name(
              name);
        }
        return;
      case ServerReflectionRequest::kFileByFilename:
        SendFile(pool.FindFileByName(request_.file_by_filename()),
                 request_.file_by_filename());
        return;
      case ServerReflectionRequest::kFileContainingSymbol:
        SendFile(
            pool.FindFileContainingSymbol(request_.file_containing_symbol()),
            request_.file_containing_symbol());
        return;
      case ServerReflectionRequest::kFileContainingExtension: {
        const auto& wanted = request_.file_containing_extension();
        const google::protobuf::Descriptor* type =
            pool.FindMessageTypeByName(wanted.containing_type());
        const FieldDescriptor* extension =
            type == nullptr
                ? nullptr
                : pool.FindExtensionByNumber(type, wanted.extension_number());
        SendFile(extension == nullptr ? nullptr : extension->file(),
                 absl::StrCat(wanted.containing_type(), " extension ",
                              wanted.extension_number()));
        return;
      }
      case ServerReflectionRequest::kAllExtensionNumbersOfType: {
        const google::protobuf::Descriptor* type = pool.FindMessageTypeByName(
            request_.all_extension_numbers_of_type());
        if (type == nullptr) {
          SetError(kNotFound,
                   absl::StrCat("unknown type ",
                                request_.all_extension_numbers_of_type()),
                   &response_);
          return;
        }
        std::vector<const FieldDescriptor*> extensions;
        pool.FindAllExtensions(type, &extensions);
        auto* numbers = response_.mutable_all_extension_numbers_response();
        numbers->set_base_type_name(type->full_name());
        for (const FieldDescriptor* extension : extensions) {
          numbers->add_extension_number(extension->number());
        }
        return;
      }
      case ServerReflectionRequest::MESSAGE_REQUEST_NOT_SET:
        SetError(kInvalidArgument, "the request asks for nothing", &response_);
        return;
    }
  }

  // Answers with `file` and the files it depends on, each sent at most once
  // per stream (a client keeps what it was sent, as with gRPC's v1alpha
  // service); NOT_FOUND naming `wanted` without a file.
  void SendFile(const FileDescriptor* file, const std::string& wanted) {
    if (file == nullptr) {
      SetError(kNotFound, absl::StrCat("nothing named ", wanted), &response_);
      return;
    }
    auto* files = response_.mutable_file_descriptor_response();
    AddWithDependencies(file, files);
  }

  void AddWithDependencies(
      const FileDescriptor* file,
      grpc::reflection::v1::FileDescriptorResponse* files) {
    if (!sent_.insert(file->name()).second) return;
    google::protobuf::FileDescriptorProto proto;
    file->CopyTo(&proto);
    files->add_file_descriptor_proto(proto.SerializeAsString());
    for (int i = 0; i < file->dependency_count(); ++i) {
      AddWithDependencies(file->dependency(i), files);
    }
  }

  const std::vector<std::string>* const services_;
  ServerReflectionRequest request_;
  ServerReflectionResponse response_;
  absl::flat_hash_set<std::string> sent_;  // file names
};

ReflectionV1Service::ReflectionV1Service(std::vector<std::string> services)
    : services_(std::move(services)) {}

grpc::ServerBidiReactor<ServerReflectionRequest, ServerReflectionResponse>*
ReflectionV1Service::ServerReflectionInfo(grpc::CallbackServerContext*) {
  return new Stream(&services_);
}

}  // namespace content
