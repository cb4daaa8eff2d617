"""Cross-language check: Python stubs generated from proto/ with stock protoc
and grpc_python_plugin talk to the real content-server.

Run by CTest with Debian's /usr/bin/python3 (python3-grpcio, python3-protobuf,
python3-yaml):
  python_client_test.py SERVER_BIN PROTO_DIR GOOGLEAPIS_DIR SEED_FILE
"""

import datetime
import os
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "support"))
from server_process import ServerProcess  # noqa: E402

import grpc
import yaml
from google.protobuf import json_format

SERVER_BIN, PROTO_DIR, GOOGLEAPIS_DIR, SEED_FILE = sys.argv[1:5]
del sys.argv[1:5]


def generate_stubs(out_dir):
    os.makedirs(out_dir)
    protos = ["content/v1/article.proto", "content/v1/article_service.proto"]
    rpc_protos = ["google/rpc/status.proto", "google/rpc/error_details.proto"]
    subprocess.run(
        ["protoc", "-I", PROTO_DIR, "-I", GOOGLEAPIS_DIR,
         "--python_out", out_dir, "--grpc_python_out", out_dir,
         "--plugin=protoc-gen-grpc_python=/usr/bin/grpc_python_plugin"]
        + protos + rpc_protos,
        check=True)
    # google/ stays a namespace package, shared with python3-protobuf.
    for package in ["content", "content/v1"]:
        open(os.path.join(out_dir, package, "__init__.py"), "a").close()
    sys.path.insert(0, out_dir)


def seed_front_matter():
    """The seed document's front matter as proto3 JSON."""
    text = open(SEED_FILE, encoding="utf-8").read()
    front_matter = text.split("---\n")[1]

    def to_json(value):
        if isinstance(value, dict):
            return {k: to_json(v) for k, v in value.items()}
        if isinstance(value, list):
            return [to_json(v) for v in value]
        if isinstance(value, datetime.datetime):
            return value.strftime("%Y-%m-%dT%H:%M:%SZ")
        return value

    return to_json(yaml.safe_load(front_matter))


class PythonClientTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        generate_stubs(os.path.join(cls.tmp.name, "gen"))
        global article_pb2, service_pb2, service_grpc, error_details_pb2, status_pb2
        from content.v1 import article_pb2
        from content.v1 import article_service_pb2 as service_pb2
        from content.v1 import article_service_pb2_grpc as service_grpc
        from google.rpc import error_details_pb2, status_pb2
        cls.server = ServerProcess(SERVER_BIN, os.path.join(cls.tmp.name, "data"))
        cls.channel = grpc.insecure_channel(cls.server.address)
        cls.stub = service_grpc.ArticleServiceStub(cls.channel)

    @classmethod
    def tearDownClass(cls):
        cls.channel.close()
        cls.server.stop()
        cls.tmp.cleanup()

    def put(self, article):
        return self.stub.PutArticle(
            service_pb2.PutArticleRequest(article=article), timeout=10).article

    def bad_request_fields(self, error):
        for key, value in error.trailing_metadata():
            if key == "grpc-status-details-bin":
                status = status_pb2.Status.FromString(value)
                for detail in status.details:
                    bad_request = error_details_pb2.BadRequest()
                    if detail.Unpack(bad_request):
                        return [v.field for v in bad_request.field_violations]
        return []

    def test_seed_round_trips_field_for_field(self):
        expected = seed_front_matter()
        article = json_format.ParseDict(expected, article_pb2.Article())
        stored = self.put(article)
        self.assertGreater(stored.revision, 0)
        got = self.stub.GetArticle(
            service_pb2.GetArticleRequest(url=expected["webUrl"]), timeout=10)
        as_json = json_format.MessageToDict(got.article)
        for key, value in expected.items():
            if value in (False, 0, "", [], {}):  # proto3 omits defaults
                self.assertNotIn(key, as_json)
            else:
                self.assertEqual(as_json[key], value, key)

    def test_batch_get_list_and_delete(self):
        urls = ["https://py.example/%d" % i for i in range(5)]
        for url in urls:
            self.put(article_pb2.Article(web_url=url, title="t " + url))
        batch = self.stub.BatchGetArticles(
            service_pb2.BatchGetArticlesRequest(urls=list(reversed(urls))),
            timeout=10)
        self.assertEqual([a.web_url for a in batch.articles],
                         list(reversed(urls)))

        # None has a publication time: oldest first, they tie and come in
        # ascending URL order.
        listed, token = [], ""
        while True:
            page = self.stub.ListArticles(
                service_pb2.ListArticlesRequest(
                    page_size=2, page_token=token,
                    order_by="publishedDateTime"),
                timeout=10)
            listed += [a.web_url for a in page.articles]
            token = page.next_page_token
            if not token:
                break
        self.assertEqual([u for u in listed if u.startswith("https://py.")],
                         urls)

        self.stub.DeleteArticle(service_pb2.DeleteArticleRequest(url=urls[0]),
                                timeout=10)
        with self.assertRaises(grpc.RpcError) as caught:
            self.stub.GetArticle(service_pb2.GetArticleRequest(url=urls[0]),
                                 timeout=10)
        self.assertEqual(caught.exception.code(), grpc.StatusCode.NOT_FOUND)

    def test_errors_carry_their_status_and_field(self):
        with self.assertRaises(grpc.RpcError) as caught:
            self.put(article_pb2.Article(web_url="ftp://py.example/"))
        self.assertEqual(caught.exception.code(),
                         grpc.StatusCode.INVALID_ARGUMENT)
        self.assertEqual(self.bad_request_fields(caught.exception),
                         ["article.web_url"])

        with self.assertRaises(grpc.RpcError) as caught:
            self.stub.ListArticles(
                service_pb2.ListArticlesRequest(page_token="forged"),
                timeout=10)
        self.assertEqual(caught.exception.code(),
                         grpc.StatusCode.INVALID_ARGUMENT)
        self.assertEqual(self.bad_request_fields(caught.exception),
                         ["page_token"])

        with self.assertRaises(grpc.RpcError) as caught:
            self.stub.BatchGetArticles(
                service_pb2.BatchGetArticlesRequest(
                    urls=["https://py.example/missing"]), timeout=10)
        self.assertEqual(caught.exception.code(), grpc.StatusCode.NOT_FOUND)


if __name__ == "__main__":
    unittest.main()
