#!/usr/bin/env python3
"""Tests of mw1_table.py: the ratio columns against every other store, recall per store.

    python3 scripts/test_mw1_table.py      (run-mw1.sh --smoke runs it first)
"""
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mw1_table  # noqa: E402


def line(store, phase, ops, p99, recall=None, wrong=None, supported=True, ms=None):
    return {"store": store, "phase": phase, "n": 100, "ops_per_s": ops, "p50_us": 1.0, "p99_us": p99,
            "recall": recall, "wrong": wrong, "violations": None, "bytes_on_disk": None, "ms": ms,
            "supported": supported, "dataset": "mw1-10k-s1"}


def rows(*lines):
    return {(r["dataset"], r["phase"], r["store"]): r for r in lines}


def cells(text, phase):
    for row in text.splitlines():
        if row.startswith(f"| {phase} |"):
            return [c.strip() for c in row.strip("|").split("|")]
    raise AssertionError(f"no row for {phase} in\n{text}")


class TableTests(unittest.TestCase):
    def test_vector_phase_ratios_to_sqlite_vec_and_hnswlib_with_recall_per_store(self):
        text = mw1_table.table(rows(
            line("strata", "knn", 400.0, 50.0, recall=0.97),
            line("sqlite-vec", "knn", 100.0, 200.0, recall=1.0),
            line("hnswlib", "knn", 800.0, 25.0, recall=0.99),
            line("strata", "get", 1000.0, 10.0, wrong=0),
            line("sqlite-vec", "get", 2000.0, 20.0, wrong=0),
        ))
        header = [c.strip() for c in text.splitlines()[2].strip("|").split("|")]
        self.assertEqual(header[:4], ["phase", "strata ops/s", "strata p50 µs", "strata p99 µs"])
        self.assertIn("strata/sqlite-vec ops/s", header)
        self.assertIn("strata/hnswlib ops/s", header)
        knn = dict(zip(header, cells(text, "knn")))
        self.assertEqual(knn["strata/sqlite-vec ops/s"], "4.00")
        self.assertEqual(knn["strata/sqlite-vec p99"], "0.25")
        self.assertEqual(knn["strata/hnswlib ops/s"], "0.50")
        self.assertEqual(knn["strata/hnswlib p99"], "2.00")
        self.assertEqual(knn["recall"], "strata:0.9700 sqlite-vec:1.0000 hnswlib:0.9900")
        get = dict(zip(header, cells(text, "get")))
        self.assertEqual(get["strata/sqlite-vec ops/s"], "0.50")
        self.assertEqual(get["strata/hnswlib ops/s"], "—")
        self.assertEqual(get["hnswlib ops/s"], "—")
        self.assertEqual(get["wrong"], "strata:0 sqlite-vec:0")
        self.assertIn("`hnswlib`: hnswlib, `knn` only", text)

    def test_unsupported_phase_and_store_order(self):
        text = mw1_table.table(rows(
            line("sqlite", "knn", 10.0, 5.0, recall=1.0),
            line("strata", "knn", None, None, supported=False),
        ))
        header = [c.strip() for c in text.splitlines()[2].strip("|").split("|")]
        self.assertEqual(header[1], "strata ops/s")
        knn = dict(zip(header, cells(text, "knn")))
        self.assertEqual(knn["strata ops/s"], "unsupported")
        self.assertEqual(knn["strata/sqlite ops/s"], "—")
        self.assertEqual(knn["recall"], "sqlite:1.0000")

    def test_small_ratios_keep_two_significant_digits(self):
        text = mw1_table.table(rows(
            line("strata", "knn", 4.8, 400.0, recall=1.0),
            line("hnswlib", "knn", 377.6, 50.0, recall=0.9756),
        ))
        header = [c.strip() for c in text.splitlines()[2].strip("|").split("|")]
        knn = dict(zip(header, cells(text, "knn")))
        self.assertEqual(knn["strata/hnswlib ops/s"], "0.013")
        self.assertEqual(knn["strata/hnswlib p99"], "8.00")

    def test_reopen_compares_the_open(self):
        text = mw1_table.table(rows(
            line("strata", "reopen", None, 60.0, ms=2.0),
            line("sqlite-vec", "reopen", None, 50.0, ms=1.0),
        ))
        header = [c.strip() for c in text.splitlines()[2].strip("|").split("|")]
        reopen = dict(zip(header, cells(text, "reopen")))
        self.assertEqual(reopen["strata/sqlite-vec p99"], "open 2.00")

    def test_hnswlib_line_parses(self):
        import json
        import importlib.util
        path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "mw1", "mw1_hnswlib.py")
        spec = importlib.util.spec_from_file_location("mw1_hnswlib", path)
        driver = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(driver)
        r = json.loads(driver.json_line("mw1-10k-s1", 3, 1234.56, 1.5, None, 0.99666, 2.0))
        self.assertEqual(list(r), ["store", "phase", "n", "ops_per_s", "p50_us", "p99_us", "recall", "wrong",
                                   "violations", "bytes_on_disk", "ms", "supported", "dataset"])
        self.assertEqual((r["store"], r["phase"], r["recall"], r["p99_us"]), ("hnswlib", "knn", 0.9967, None))
        self.assertEqual(driver.recall(["a", "x"], ["a", "b"]), 0.5)
        self.assertEqual(driver.recall([], []), 1.0)
        self.assertEqual(driver.nearest_rank(list(range(1000, 101000, 1000)), 99), 99.0)
        self.assertEqual(driver.dataset_name({"messages": 100000, "seed": 1}), "mw1-100k-s1")


if __name__ == "__main__":
    unittest.main()
