"""Search quality: recall@5 and MRR of the search API on a query set, per language and tag.

    .venv/bin/python bench/search_quality.py [--queries bench/search-dev-queries.jsonl]
                                             [--backend database|elasticsearch|all] [-v]

Runs on the database of DATABASE_URL (SQLite by default), which must hold the catalogue
(`manage.py load_catalogue`); the index is rebuilt inside a transaction that is rolled back
at the end, so the database — and the search log — are left as they were.

Each line of the query file: {"q": ..., "lang": ..., "expect": [codes], "tag": ...}.
recall@5: the share of the expected codes among the codes of the first five results;
MRR: the mean of 1/rank of the first expected code (0 if none in the first 10).
Elasticsearch is measured too when ELASTICSEARCH_URL is set."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.dev")

import django  # noqa: E402

django.setup()

from django.db import transaction  # noqa: E402
from django.test import Client, override_settings  # noqa: E402

from search.backends import get_backend  # noqa: E402
from search.models import Synonym  # noqa: E402
from search.synonyms import load_synonyms  # noqa: E402

DEFAULT_QUERIES = ROOT / "bench" / "search-dev-queries.jsonl"


class Rollback(Exception):
    pass


def read_queries(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def evaluate(queries: list[dict], client: Client | None = None) -> list[dict]:
    """Each query run through GET /api/v1/search/; returns one row per query."""
    client = client or Client(HTTP_HOST="127.0.0.1")
    rows = []
    for query in queries:
        response = client.get("/api/v1/search/", {"q": query["q"], "lang": query["lang"], "limit": 10})
        if response.status_code != 200:
            raise SystemExit(f"{query['q']!r}: HTTP {response.status_code} {response.content[:200]!r}")
        codes = [r["code"] for r in response.json()["results"]]
        expected = set(query["expect"])
        top5 = codes[:5]
        recall = len(expected & set(top5)) / len(expected)
        rank = next((i + 1 for i, code in enumerate(codes) if code in expected), None)
        rows.append({**query, "codes": codes, "recall": recall, "rr": 1 / rank if rank else 0.0})
    return rows


def summarise(rows: list[dict]) -> dict[str, dict[str, float]]:
    groups: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        groups["all"].append(row)
        groups[f"lang={row['lang']}"].append(row)
        groups[f"tag={row['tag']}"].append(row)
    return {
        name: {
            "n": len(group),
            "recall@5": sum(r["recall"] for r in group) / len(group),
            "mrr": sum(r["rr"] for r in group) / len(group),
        }
        for name, group in groups.items()
    }


def print_summary(title: str, summary: dict, rows: list[dict], verbose: bool) -> None:
    print(f"\n== {title}")
    print(f"{'group':<26}{'n':>4}{'recall@5':>10}{'MRR':>8}")
    for name in sorted(summary, key=lambda n: (n != "all", n)):
        s = summary[name]
        print(f"{name:<26}{s['n']:>4}{s['recall@5']:>10.3f}{s['mrr']:>8.3f}")
    misses = [r for r in rows if r["recall"] < 1 or r["rr"] < 1]
    if verbose and misses:
        print("\nimperfect queries:")
        for r in misses:
            print(f"  [{r['lang']}] {r['q']!r}: expected {r['expect']}, got {r['codes'][:5]}")


def available_backends(choice: str) -> list[str]:
    if choice != "all":
        return [choice]
    backends = ["database"]
    if os.environ.get("ELASTICSEARCH_URL"):
        backends.append("elasticsearch")
    return backends


def run_backend(name: str, queries: list[dict]) -> tuple[dict, list[dict]]:
    """Rebuild the index on this backend and measure, leaving the database unchanged."""
    outcome = {}
    try:
        with override_settings(SEARCH_BACKEND=name), transaction.atomic():
            load_synonyms(Synonym)  # the seed groups not there yet, as `load_search_synonyms`
            get_backend(name).rebuild()
            rows = evaluate(queries)
            outcome["rows"] = rows
            raise Rollback
    except Rollback:
        pass
    rows = outcome["rows"]
    return summarise(rows), rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--queries", type=Path, default=DEFAULT_QUERIES)
    parser.add_argument("--backend", default="all")
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args(argv)
    from django.db import connection

    from directory.models import Component

    if not Component.objects.exists():
        raise SystemExit("The catalogue is not loaded: run `manage.py load_catalogue` first.")
    queries = read_queries(args.queries)
    print(f"{len(queries)} queries from {args.queries.name}; database: {connection.vendor}")
    for name in available_backends(args.backend):
        summary, rows = run_backend(name, queries)
        print_summary(f"{name} backend on {connection.vendor}", summary, rows, args.verbose)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
