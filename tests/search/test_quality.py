"""The quality floor on the development query set (bench/search-dev-queries.jsonl), through
the API on the database backend: recall@5 ≥ 0.95 and MRR ≥ 0.85. A regression fails CI;
`bench/search_quality.py -v` shows which queries slipped."""

import importlib.util
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "bench" / "search_quality.py"


def load_bench():
    spec = importlib.util.spec_from_file_location("search_quality_bench", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_dev_queries_meet_the_quality_floor(world, client, settings):
    settings.SEARCH_BACKEND = "database"
    bench = load_bench()
    rows = bench.evaluate(bench.read_queries(bench.DEFAULT_QUERIES), client)
    summary = bench.summarise(rows)["all"]
    misses = [(r["q"], r["codes"][:5]) for r in rows if r["rr"] == 0]
    assert summary["recall@5"] >= 0.95, misses
    assert summary["mrr"] >= 0.85, misses
