#ifndef CONTENT_SERVICE_ADMIN_SERVICE_H_
#define CONTENT_SERVICE_ADMIN_SERVICE_H_

#include <string>

#include "content/v1/admin_service.grpc.pb.h"
#include "service/access_policy.h"
#include "storage/article_store.h"
#include "storage/engine.h"
#include "url/canonical_url.h"

namespace content {

// content.v1.AdminService: consistency checks and online backups of the
// store, for callers with the admin role. Thread-safe.
class AdminServiceImpl final : public v1::AdminService::Service {
 public:
  // Pointers are borrowed and must outlive the service. `engine` is null
  // for an engine without admin operations: BackupStore is then
  // UNIMPLEMENTED. Backups stage a checkpoint under `scratch_dir`, which
  // must be on the database's filesystem so the checkpoint can hard-link
  // instead of copy.
  AdminServiceImpl(ArticleStore* store, EngineAdmin* engine,
                   const UrlCanonicalizer* canonicalizer,
                   const AccessPolicy* access, std::string scratch_dir);

  grpc::Status VerifyStore(grpc::ServerContext* context,
                           const v1::VerifyStoreRequest* request,
                           v1::VerifyStoreResponse* response) override;
  grpc::Status BackupStore(
      grpc::ServerContext* context, const v1::BackupStoreRequest* request,
      grpc::ServerWriter<v1::BackupStoreResponse>* writer) override;

 private:
  // Streams the files of the checkpoint in `dir`.
  absl::Status SendCheckpoint(
      const std::string& dir, int64_t revision, grpc::ServerContext* context,
      grpc::ServerWriter<v1::BackupStoreResponse>* writer);

  ArticleStore* const store_;
  EngineAdmin* const engine_;
  const UrlCanonicalizer* const canonicalizer_;
  const AccessPolicy* const access_;
  const std::string scratch_dir_;
};

}  // namespace content

#endif  // CONTENT_SERVICE_ADMIN_SERVICE_H_
