"""Exported documents read back the same in PyYAML (YAML 1.1, what
python-frontmatter and Jekyll-style tools use): every string stays that
string, however much it looks like a boolean, null, number or timestamp, and
every number and boolean stays one (issue 15).

Articles go in as proto3 JSON (`contentctl put`), come out through
`contentctl export` (the document writer), and their front matter is read
with yaml.safe_load. Run by CTest with Debian's /usr/bin/python3 and
python3-yaml:
  export_pyyaml_test.py SERVER_BIN CONTENTCTL_BIN
"""

import glob
import json
import math
import os
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "support"))
from server_process import ServerProcess  # noqa: E402

import yaml

SERVER_BIN, CONTENTCTL_BIN = sys.argv[1:3]
del sys.argv[1:3]

# Strings a YAML 1.1 or 1.2 reader takes for something else when unquoted.
TYPED_STRINGS = [
    # booleans, every spelling
    "y", "Y", "n", "N", "yes", "Yes", "YES", "no", "No", "NO", "on", "On",
    "ON", "off", "Off", "OFF", "true", "True", "TRUE", "false", "False",
    "FALSE", "tRUE",
    # nulls
    "~", "null", "Null", "NULL",
    # numbers in every base and form
    "0", "-0", "017", "0o17", "0x1F", "0b101", "1_000", "+1", "-1", ".5",
    "1.", "1.0", "1e3", "1.0e+3", "6.02e+23", ".inf", "-.Inf", "+.INF",
    ".NaN", "1:20", "190:20:30.15", "-1:30",
    # timestamps
    "2001-12-14", "2001-12-14t21:59:43.10-05:00",
    "2001-12-14 21:59:43.10 -5", "2002-12-14T21:59:43Z",
    # merge and value keys
    "=", "<<",
    # and strings that merely look unusual
    "NO WAY", "Norway", "a: b", "#hash", "- dash", "'quoted'", "\"q\"",
    "C\u00e9dric \u4e2d\u6587", "tab\there", "two\nlines", " lead",
]

NUMBERS = [0, -5, 100000, 2.5, 0.0001, 1e-7, 1e-8, 1e21, -1.5e300,
           9007199254740993, 1.0 / 3]


def article_for(index, text):
    """An article holding `text` in every kind of string field."""
    url = "https://pyyaml.example/%d" % index
    article = {
        "webUrl": url,
        "topics": [text, "plain"],
        "provider": {"domain": "pyyaml.example"},
        "related": [{"webUrl": url + "/related"}],
        "extra": {"value": text, "nested": {"list": [text]}, text: "key"},
    }
    if text:  # proto3 JSON leaves empty strings out
        article.update(title=text, excerpt=text, category=text)
        article["provider"]["name"] = text
        article["related"][0]["title"] = text
    return article


def front_matter(path):
    with open(path, encoding="utf-8") as document:
        text = document.read()
    first, rest = text.split("---\n", 1)
    assert first == "", path
    return yaml.safe_load(rest[:rest.index("\n---\n") + 1])


class ExportPyYamlTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.server = ServerProcess(SERVER_BIN, os.path.join(cls.tmp.name, "data"))
        articles = [article_for(i, text)
                    for i, text in enumerate(TYPED_STRINGS + [""])]
        numbers = {"webUrl": "https://pyyaml.example/numbers",
                   "extra": {"numbers": NUMBERS, "yes": True, "no": False,
                             "nothing": None}}
        cls.expected = {a["webUrl"]: a for a in articles + [numbers]}
        for article in cls.expected.values():
            path = os.path.join(cls.tmp.name, "article.json")
            with open(path, "w", encoding="utf-8") as out:
                json.dump(article, out, ensure_ascii=False)
            cls.contentctl("put", path)
        cls.exported = os.path.join(cls.tmp.name, "exported")
        cls.contentctl("export", "--out", cls.exported)

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        cls.tmp.cleanup()

    @classmethod
    def contentctl(cls, *args):
        subprocess.run([CONTENTCTL_BIN, "--server", cls.server.address]
                       + list(args), check=True, stdout=subprocess.DEVNULL)

    def read_exports(self):
        documents = {}
        for path in glob.glob(os.path.join(self.exported, "*.md")):
            matter = front_matter(path)
            documents[matter["webUrl"]] = matter
        self.assertEqual(sorted(documents), sorted(self.expected))
        return documents

    def test_every_string_reads_back_as_that_string(self):
        for url, matter in self.read_exports().items():
            article = self.expected[url]
            if "topics" not in article:
                continue
            text = article["extra"]["value"]
            with self.subTest(text=text):
                if text:
                    for key in ("title", "excerpt", "category"):
                        self.assertIs(type(matter[key]), str, key)
                        self.assertEqual(matter[key], text, key)
                    self.assertEqual(matter["provider"]["name"], text)
                    self.assertEqual(matter["related"][0]["title"], text)
                self.assertEqual(matter["topics"], [text, "plain"])
                self.assertEqual(matter["value"], text)
                self.assertEqual(matter["nested"], {"list": [text]})
                # As a key too: unquoted, `yes:` would be the key True.
                self.assertEqual(matter[text], "key")
                self.assertIs(type(matter["value"]), str)

    def test_numbers_and_booleans_read_back_as_themselves(self):
        matter = self.read_exports()["https://pyyaml.example/numbers"]
        self.assertEqual(len(matter["numbers"]), len(NUMBERS))
        for got, want in zip(matter["numbers"], NUMBERS):
            with self.subTest(number=want):
                self.assertIn(type(got), (int, float))
                # Struct numbers are doubles: what JSON gave, as a double.
                self.assertTrue(math.isclose(got, float(want), rel_tol=1e-15),
                                got)
        self.assertIs(matter["yes"], True)
        self.assertIs(matter["no"], False)
        self.assertIsNone(matter["nothing"])


if __name__ == "__main__":
    unittest.main()
