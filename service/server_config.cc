#include "service/server_config.h"

#include <yaml-cpp/yaml.h>

#include <map>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"

namespace content {
namespace {

using Apply = absl::Status (*)(absl::string_view value, ServerConfig* config);

struct Setting {
  const char* name;
  const char* help;
  Apply apply;
};

absl::Status BadValue(absl::string_view expected, absl::string_view value) {
  return absl::InvalidArgumentError(
      absl::StrCat("expected ", expected, ", got \"", value, "\""));
}

absl::Status ParseInt(absl::string_view value, int min, int max, int* out) {
  int parsed = 0;
  if (!absl::SimpleAtoi(value, &parsed) || parsed < min || parsed > max) {
    return BadValue(absl::StrCat("an integer from ", min, " to ", max), value);
  }
  *out = parsed;
  return absl::OkStatus();
}

// A whole number of `unit`s from 0 to `max`.
absl::Status ParseDuration(absl::string_view value, int max,
                           absl::Duration unit, absl::Duration* out) {
  int count = 0;
  absl::Status status = ParseInt(value, 0, max, &count);
  if (status.ok()) *out = count * unit;
  return status;
}

absl::Status ParseBool(absl::string_view value, bool* out) {
  if (value != "true" && value != "false")
    return BadValue("true or false", value);
  *out = value == "true";
  return absl::OkStatus();
}

absl::Status ParseSize(absl::string_view value, size_t min, size_t max,
                       size_t* out) {
  int parsed = 0;
  absl::Status status =
      ParseInt(value, static_cast<int>(min), static_cast<int>(max), &parsed);
  if (status.ok()) *out = static_cast<size_t>(parsed);
  return status;
}

absl::Status ParseString(absl::string_view value, std::string* out) {
  *out = std::string(value);
  return absl::OkStatus();
}

absl::Status ParseNonEmpty(absl::string_view value, std::string* out) {
  if (value.empty()) return BadValue("a non-empty string", value);
  *out = std::string(value);
  return absl::OkStatus();
}

constexpr Setting kSettings[] = {
    {"listen", "address to serve gRPC on, host:port (port 0 picks a free one)",
     [](absl::string_view v, ServerConfig* c) {
       return ParseNonEmpty(v, &c->listen);
     }},
    {"data_dir", "directory of the RocksDB database",
     [](absl::string_view v, ServerConfig* c) {
       return ParseNonEmpty(v, &c->data_dir);
     }},
    {"durable_writes",
     "true: fsync the WAL before acknowledging a write; false: faster, but "
     "writes of the last moments are lost if the machine (not the process) "
     "crashes",
     [](absl::string_view v, ServerConfig* c) {
       return ParseBool(v, &c->durable_writes);
     }},
    {"read_only",
     "true: open the existing database read-only and refuse writes with "
     "FAILED_PRECONDITION (also chosen when data_dir/db is not writable)",
     [](absl::string_view v, ServerConfig* c) {
       return ParseBool(v, &c->read_only);
     }},
    {"block_cache_mb", "RocksDB block cache size in MiB",
     [](absl::string_view v, ServerConfig* c) {
       return ParseInt(v, 1, 1 << 16, &c->block_cache_mb);
     }},
    {"max_message_bytes",
     "largest request accepted; larger ones get RESOURCE_EXHAUSTED",
     [](absl::string_view v, ServerConfig* c) {
       return ParseInt(v, 1 << 10, 64 << 20, &c->max_message_bytes);
     }},
    {"shutdown_grace_seconds",
     "how long in-flight calls may run on after SIGTERM before cancellation",
     [](absl::string_view v, ServerConfig* c) {
       return ParseDuration(v, 3600, absl::Seconds(1), &c->shutdown_grace);
     }},
    {"tracking_params",
     "comma-separated query parameters dropped from URL keys; name* matches "
     "a prefix",
     [](absl::string_view v, ServerConfig* c) {
       c->tracking_params = absl::StrSplit(v, ',', absl::SkipWhitespace());
       return absl::OkStatus();
     }},
    {"max_batch_size", "most URLs in one BatchGetArticles",
     [](absl::string_view v, ServerConfig* c) {
       return ParseInt(v, 1, 1000, &c->limits.max_batch_size);
     }},
    {"default_page_size", "ListArticles page size when none is asked for",
     [](absl::string_view v, ServerConfig* c) {
       return ParseInt(v, 1, 10000, &c->limits.default_page_size);
     }},
    {"metrics_listen",
     "address of the Prometheus /metrics endpoint, host:port; empty: none",
     [](absl::string_view v, ServerConfig* c) {
       return ParseString(v, &c->metrics_listen);
     }},
    {"slow_request_ms",
     "unary calls slower than this are logged; 0 logs every unary call",
     [](absl::string_view v, ServerConfig* c) {
       return ParseDuration(v, 3600000, absl::Milliseconds(1),
                            &c->slow_request);
     }},
    {"log_format", "plain (logfmt) or json: one line per event on stderr",
     [](absl::string_view v, ServerConfig* c) {
       if (v != "plain" && v != "json") return BadValue("plain or json", v);
       c->log_format = v == "json" ? LogFormat::kJson : LogFormat::kPlain;
       return absl::OkStatus();
     }},
    {"max_page_size", "largest ListArticles page; larger asks are reduced",
     [](absl::string_view v, ServerConfig* c) {
       return ParseInt(v, 1, 10000, &c->limits.max_page_size);
     }},
    {"min_free_disk_mb",
     "free space the disk of data_dir must keep: writes fail "
     "RESOURCE_EXHAUSTED below it (reads go on) and resume once it is back; "
     "0 turns the check off",
     [](absl::string_view v, ServerConfig* c) {
       return ParseInt(v, 0, 1 << 20, &c->min_free_disk_mb);
     }},
    {"max_response_bytes",
     "largest response message built: List pages end early with a "
     "next_page_token, larger BatchGets are refused; keep it within what "
     "clients accept (gRPC's default is 4 MiB)",
     [](absl::string_view v, ServerConfig* c) {
       return ParseSize(v, 64 << 10, 1 << 30, &c->limits.max_response_bytes);
     }},
    {"max_url_bytes", "longest URL accepted in any field",
     [](absl::string_view v, ServerConfig* c) {
       return ParseSize(v, 64, 1 << 16, &c->limits.article.max_url_bytes);
     }},
    {"max_text_bytes",
     "longest title, excerpt, category, type, name or topic accepted",
     [](absl::string_view v, ServerConfig* c) {
       return ParseSize(v, 64, 1 << 20, &c->limits.article.max_text_bytes);
     }},
    {"max_body_bytes", "largest Markdown body accepted",
     [](absl::string_view v, ServerConfig* c) {
       return ParseSize(v, 0, 64 << 20, &c->limits.article.max_body_bytes);
     }},
    {"max_related", "most related items in one article",
     [](absl::string_view v, ServerConfig* c) {
       return ParseInt(v, 0, 10000, &c->limits.article.max_related);
     }},
    {"max_images", "most images in one article (and in one related item)",
     [](absl::string_view v, ServerConfig* c) {
       return ParseInt(v, 0, 10000, &c->limits.article.max_images);
     }},
    {"max_topics", "most topics in one article",
     [](absl::string_view v, ServerConfig* c) {
       return ParseInt(v, 0, 10000, &c->limits.article.max_topics);
     }},
    {"max_threads",
     "most threads gRPC starts for Put, Update, Delete and the admin "
     "service, whatever a peer opens (reads, imports and watches run "
     "elsewhere)",
     [](absl::string_view v, ServerConfig* c) {
       return ParseInt(v, 4, 10000, &c->max_threads);
     }},
    {"max_concurrent_streams", "most calls in flight on one connection",
     [](absl::string_view v, ServerConfig* c) {
       return ParseInt(v, 1, 100000, &c->max_concurrent_streams);
     }},
    {"max_stream_seconds",
     "longest an ImportArticles, WatchArticles or BackupStore stream may run, "
     "whatever deadline the client set",
     [](absl::string_view v, ServerConfig* c) {
       return ParseDuration(v, 7 * 86400, absl::Seconds(1),
                            &c->limits.max_stream_duration);
     }},
    {"watch_history_revisions",
     "revisions the change feed keeps; WatchArticles can resume from any of "
     "them",
     [](absl::string_view v, ServerConfig* c) {
       return ParseInt(v, 1, 1000000000, &c->watch_history_revisions);
     }},
    {"watch_progress_seconds",
     "how often an idle WatchArticles stream gets a progress message",
     [](absl::string_view v, ServerConfig* c) {
       return ParseDuration(v, 3600, absl::Seconds(1),
                            &c->limits.watch_progress_interval);
     }},
    {"replication",
     "empty: one process on its own store; etcd: a replica of the log on "
     "the etcd cluster at etcd_endpoints",
     [](absl::string_view v, ServerConfig* c) {
       if (v != "" && v != "etcd") return BadValue("empty or etcd", v);
       return ParseString(v, &c->replication);
     }},
    {"etcd_endpoints",
     "comma-separated host:port of the etcd members (replication: etcd)",
     [](absl::string_view v, ServerConfig* c) {
       c->etcd_endpoints.clear();
       for (absl::string_view endpoint :
            absl::StrSplit(v, ',', absl::SkipWhitespace())) {
         c->etcd_endpoints.emplace_back(absl::StripAsciiWhitespace(endpoint));
       }
       return absl::OkStatus();
     }},
    {"etcd_prefix", "the etcd keys of this cluster start with it",
     [](absl::string_view v, ServerConfig* c) {
       return ParseString(v, &c->etcd_prefix);
     }},
    {"replica_id", "this replica's name in the log, unique in the cluster",
     [](absl::string_view v, ServerConfig* c) {
       return ParseString(v, &c->replica_id);
     }},
    {"etcd_tls_ca_file",
     "PEM CA of the etcd members' certificates: TLS to etcd (empty: "
     "plaintext)",
     [](absl::string_view v, ServerConfig* c) {
       return ParseString(v, &c->etcd_tls_ca_file);
     }},
    {"etcd_tls_cert_file",
     "PEM client certificate for etcd's --client-cert-auth (its CN is the "
     "etcd user)",
     [](absl::string_view v, ServerConfig* c) {
       return ParseString(v, &c->etcd_tls_cert_file);
     }},
    {"etcd_tls_key_file", "PEM key of etcd_tls_cert_file",
     [](absl::string_view v, ServerConfig* c) {
       return ParseString(v, &c->etcd_tls_key_file);
     }},
    {"replica_lease_seconds",
     "a replica silent this long stops holding back the etcd log's "
     "compaction; it then restarts from another replica's backup",
     [](absl::string_view v, ServerConfig* c) {
       return ParseDuration(v, 3600, absl::Seconds(1), &c->replica_lease);
     }},
    {"tls_cert_file", "PEM certificate chain; with tls_key_file, serve TLS",
     [](absl::string_view v, ServerConfig* c) {
       return ParseString(v, &c->tls_cert_file);
     }},
    {"tls_key_file", "PEM private key of tls_cert_file",
     [](absl::string_view v, ServerConfig* c) {
       return ParseString(v, &c->tls_key_file);
     }},
    {"tls_client_ca_file",
     "PEM CA certificates; when set, clients must present a certificate "
     "they signed (mutual TLS)",
     [](absl::string_view v, ServerConfig* c) {
       return ParseString(v, &c->tls_client_ca_file);
     }},
    {"auth_tokens_file",
     "bearer tokens with roles, one \"ROLE sha256:HEX [NAME]\" per line; "
     "empty: every caller may do everything",
     [](absl::string_view v, ServerConfig* c) {
       return ParseString(v, &c->auth_tokens_file);
     }},
    {"reflection", "true: serve gRPC server reflection (for grpcurl, buf curl)",
     [](absl::string_view v, ServerConfig* c) {
       return ParseBool(v, &c->reflection);
     }},
    {"restore_from",
     "a backup directory (contentctl backup) to restore into an empty "
     "data_dir; the server then exits",
     [](absl::string_view v, ServerConfig* c) {
       return ParseString(v, &c->restore_from);
     }},
};

const Setting* FindSetting(absl::string_view name) {
  for (const Setting& setting : kSettings) {
    if (name == setting.name) return &setting;
  }
  return nullptr;
}

std::string Usage() {
  std::string usage =
      "usage: content-server [--config FILE] [--NAME=VALUE]...\n"
      "Settings (YAML key NAME, environment CONTENT_NAME, flag --NAME):\n";
  for (const Setting& setting : kSettings) {
    absl::StrAppend(&usage, "  ", setting.name, ": ", setting.help, "\n");
  }
  return usage;
}

// Applies `value` to setting `name`; errors are prefixed with `where`.
absl::Status ApplySetting(absl::string_view where, absl::string_view name,
                          absl::string_view value, ServerConfig* config) {
  const Setting* setting = FindSetting(name);
  if (setting == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat(where, ": unknown setting \"", name, "\""));
  }
  absl::Status status = setting->apply(value, config);
  if (status.ok()) return status;
  return absl::InvalidArgumentError(
      absl::StrCat(where, ": ", name, ": ", status.message()));
}

absl::Status ApplyYamlFile(const std::string& path, ServerConfig* config) {
  YAML::Node root;
  try {
    root = YAML::LoadFile(path);
  } catch (const YAML::BadFile&) {
    return absl::InvalidArgumentError(absl::StrCat(path, ": cannot be read"));
  } catch (const YAML::Exception& e) {
    return absl::InvalidArgumentError(absl::StrCat(
        path, ":", e.mark.line + 1, ":", e.mark.column + 1, ": ", e.msg));
  }
  if (root.IsNull()) return absl::OkStatus();
  if (!root.IsMap()) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": must be a mapping of setting names to values"));
  }
  for (const auto& entry : root) {
    const std::string where =
        absl::StrCat(path, ":", entry.first.Mark().line + 1);
    const std::string name = entry.first.as<std::string>();
    const YAML::Node& value = entry.second;
    std::string text;
    if (value.IsScalar()) {
      text = value.Scalar();
    } else if (value.IsSequence() && name == "tracking_params") {
      std::vector<std::string> items;
      for (const YAML::Node& item : value) {
        if (!item.IsScalar()) {
          return absl::InvalidArgumentError(
              absl::StrCat(where, ": ", name, ": expected a list of names"));
        }
        items.push_back(item.Scalar());
      }
      text = absl::StrJoin(items, ",");
    } else {
      return absl::InvalidArgumentError(
          absl::StrCat(where, ": ", name, ": expected a single value"));
    }
    absl::Status status = ApplySetting(where, name, text, config);
    if (!status.ok()) return status;
  }
  return absl::OkStatus();
}

// Flags as name -> value, in order, with --config split out.
struct ParsedFlags {
  std::vector<std::pair<std::string, std::string>> settings;
  std::string config_path;
};

absl::StatusOr<ParsedFlags> ParseFlags(int argc, const char* const* argv) {
  ParsedFlags flags;
  for (int i = 1; i < argc; ++i) {
    absl::string_view arg = argv[i];
    if (arg == "--help" || arg == "-h") return absl::CancelledError(Usage());
    if (!absl::ConsumePrefix(&arg, "--")) {
      return absl::InvalidArgumentError(
          absl::StrCat("unexpected argument \"", arg, "\"\n", Usage()));
    }
    std::string name;
    std::string value;
    const size_t equals = arg.find('=');
    if (equals != absl::string_view::npos) {
      name = std::string(arg.substr(0, equals));
      value = std::string(arg.substr(equals + 1));
    } else if (i + 1 < argc) {
      name = std::string(arg);
      value = argv[++i];
    } else {
      return absl::InvalidArgumentError(
          absl::StrCat("flag --", arg, " needs a value"));
    }
    if (name == "config") {
      flags.config_path = value;
    } else if (FindSetting(name) == nullptr) {
      return absl::InvalidArgumentError(
          absl::StrCat("unknown flag --", name, "\n", Usage()));
    } else {
      flags.settings.emplace_back(std::move(name), std::move(value));
    }
  }
  return flags;
}

std::map<std::string, std::string> ContentEnvironment(const char* const* env) {
  std::map<std::string, std::string> vars;
  for (; env != nullptr && *env != nullptr; ++env) {
    absl::string_view entry = *env;
    if (!absl::StartsWith(entry, "CONTENT_")) continue;
    const size_t equals = entry.find('=');
    if (equals == absl::string_view::npos) continue;
    vars.emplace(entry.substr(0, equals), entry.substr(equals + 1));
  }
  return vars;
}

std::string EnvName(absl::string_view setting) {
  return absl::StrCat("CONTENT_", absl::AsciiStrToUpper(setting));
}

}  // namespace

absl::StatusOr<ServerConfig> LoadServerConfig(int argc, const char* const* argv,
                                              const char* const* env) {
  absl::StatusOr<ParsedFlags> flags = ParseFlags(argc, argv);
  if (!flags.ok()) return flags.status();
  const std::map<std::string, std::string> vars = ContentEnvironment(env);

  ServerConfig config;
  std::string config_path = flags->config_path;
  if (config_path.empty() && vars.count("CONTENT_CONFIG") > 0) {
    config_path = vars.at("CONTENT_CONFIG");
  }
  if (!config_path.empty()) {
    absl::Status status = ApplyYamlFile(config_path, &config);
    if (!status.ok()) return status;
  }
  for (const Setting& setting : kSettings) {
    const std::string name = EnvName(setting.name);
    auto var = vars.find(name);
    if (var == vars.end()) continue;
    absl::Status status = ApplySetting(absl::StrCat("environment ", name),
                                       setting.name, var->second, &config);
    if (!status.ok()) return status;
  }
  for (const auto& [name, value] : flags->settings) {
    absl::Status status =
        ApplySetting(absl::StrCat("flag --", name), name, value, &config);
    if (!status.ok()) return status;
  }
  if (config.limits.default_page_size > config.limits.max_page_size) {
    return absl::InvalidArgumentError(
        "default_page_size must not exceed max_page_size");
  }
  if (config.tls_cert_file.empty() != config.tls_key_file.empty()) {
    return absl::InvalidArgumentError(
        "tls_cert_file and tls_key_file must be set together");
  }
  if (!config.tls_client_ca_file.empty() && config.tls_cert_file.empty()) {
    return absl::InvalidArgumentError(
        "tls_client_ca_file needs tls_cert_file and tls_key_file");
  }
  return config;
}

}  // namespace content

namespace content {

std::vector<LogField> DescribeConfig(const ServerConfig& config) {
  const ServiceLimits& limits = config.limits;
  return {
      {"listen", config.listen},
      {"data_dir", config.data_dir},
      {"durable_writes", config.durable_writes ? "true" : "false"},
      {"read_only", config.read_only ? "true" : "false"},
      {"block_cache_mb", absl::StrCat(config.block_cache_mb)},
      {"max_message_bytes", absl::StrCat(config.max_message_bytes)},
      {"shutdown_grace_seconds",
       absl::StrCat(absl::ToInt64Seconds(config.shutdown_grace))},
      {"tracking_params", absl::StrJoin(config.tracking_params, ",")},
      {"max_batch_size", absl::StrCat(limits.max_batch_size)},
      {"default_page_size", absl::StrCat(limits.default_page_size)},
      {"max_page_size", absl::StrCat(limits.max_page_size)},
      {"max_response_bytes", absl::StrCat(limits.max_response_bytes)},
      {"min_free_disk_mb", absl::StrCat(config.min_free_disk_mb)},
      {"metrics_listen", config.metrics_listen},
      {"slow_request_ms",
       absl::StrCat(absl::ToInt64Milliseconds(config.slow_request))},
      {"log_format", config.log_format == LogFormat::kJson ? "json" : "plain"},
      {"max_url_bytes", absl::StrCat(limits.article.max_url_bytes)},
      {"max_text_bytes", absl::StrCat(limits.article.max_text_bytes)},
      {"max_body_bytes", absl::StrCat(limits.article.max_body_bytes)},
      {"max_related", absl::StrCat(limits.article.max_related)},
      {"max_images", absl::StrCat(limits.article.max_images)},
      {"max_topics", absl::StrCat(limits.article.max_topics)},
      {"max_concurrent_streams", absl::StrCat(config.max_concurrent_streams)},
      {"max_threads", absl::StrCat(config.max_threads)},
      {"max_stream_seconds",
       absl::StrCat(absl::ToInt64Seconds(limits.max_stream_duration))},
      {"watch_history_revisions", absl::StrCat(config.watch_history_revisions)},
      {"watch_progress_seconds",
       absl::StrCat(absl::ToInt64Seconds(limits.watch_progress_interval))},
      {"tls_cert_file", config.tls_cert_file},
      {"tls_key_file", config.tls_key_file},
      {"tls_client_ca_file", config.tls_client_ca_file},
      {"auth_tokens_file", config.auth_tokens_file},
      {"reflection", config.reflection ? "true" : "false"},
      {"replication", config.replication},
      {"etcd_endpoints", absl::StrJoin(config.etcd_endpoints, ",")},
      {"etcd_prefix", config.etcd_prefix},
      {"replica_id", config.replica_id},
      {"etcd_tls_ca_file", config.etcd_tls_ca_file},
      {"etcd_tls_cert_file", config.etcd_tls_cert_file},
      {"etcd_tls_key_file", config.etcd_tls_key_file},
      {"replica_lease_seconds",
       absl::StrCat(absl::ToInt64Seconds(config.replica_lease))},
      {"restore_from", config.restore_from},
  };
}

}  // namespace content
