"""The search query path's CPU in-process, best of N — comparable under load, unlike wall time.

    .venv/bin/python bench/search_query_path.py [--repeat 5] [--model e5-small-onnx|e5-small]

Runs every query of the three query sets (bench/search-*-queries.jsonl) through the database
backend's `query()` (no HTTP) on the database of DATABASE_URL, which must hold the catalogue
(`manage.py load_catalogue`, `build_site_tree`); the index is rebuilt inside a transaction that
is rolled back. For each query the least CPU time (`time.process_time`) of `--repeat` runs is
kept; the table gives their mean, p50 and p95 in five states of the query's vector:

* lexical only      — `SEARCH_EMBEDDER=""`;
* dense, in memory  — this process has embedded the query before;
* dense, shared     — a fresh worker: not in its memory, in the shared cache (the Django cache);
* dense, model      — nobody has seen the query: the model reads it;
* model calls       — how many of the queries reach the model at all (the rest are answered
                      by their words alone: a place's name, an entry's whole name, nonsense)."""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.dev")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import transaction  # noqa: E402
from django.test import override_settings  # noqa: E402

from search import embedding  # noqa: E402
from search.backends import get_backend  # noqa: E402

SETS = ("dev", "need", "new-need")


class Rollback(Exception):
    pass


def read_queries() -> list[dict]:
    out = []
    for name in SETS:
        with (ROOT / "bench" / f"search-{name}-queries.jsonl").open(encoding="utf-8") as fh:
            out += [json.loads(line) for line in fh if line.strip()]
    return out


def best_cpu(run, repeat: int, before=lambda: None) -> float:
    best = float("inf")
    for _ in range(repeat):
        before()
        start = time.process_time()
        run()
        best = min(best, time.process_time() - start)
    return best


def summary(values: list[float]) -> str:
    ms = sorted(v * 1000 for v in values)
    p95 = ms[max(0, int(round(0.95 * len(ms))) - 1)]
    return f"mean {statistics.fmean(ms):6.2f}  p50 {statistics.median(ms):6.2f}  p95 {p95:6.2f} ms"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument(
        "--model", default=settings.SEARCH_EMBEDDER or "e5-small-onnx", choices=list(embedding.MODELS)
    )
    args = parser.parse_args(argv)
    queries = read_queries()
    backend = get_backend("database")
    rows: dict[str, list[float]] = {}
    try:
        with transaction.atomic():
            with override_settings(SEARCH_EMBEDDER=args.model):
                backend.rebuild()
                embedder = embedding.get_embedder()
                print(f"{args.model}: {embedder.engine} engine")

                def timed(label: str, before) -> None:
                    rows[label] = [
                        best_cpu(lambda q=q: backend.query(q["q"], q["lang"]), args.repeat, before)
                        for q in queries
                    ]

                for q in queries:  # warm: the index in memory, every vector in the shared cache
                    backend.query(q["q"], q["lang"])
                timed("dense, in memory", lambda: None)
                timed("dense, shared", embedder.forget_queries)
                with override_settings(SEARCH_QUERY_VECTOR_CACHE=""):
                    calls = embedder.embedded_queries
                    timed("dense, model", embedder.forget_queries)
                    model_calls = (embedder.embedded_queries - calls) // args.repeat
            with override_settings(SEARCH_EMBEDDER=""):
                backend.query("koduteenus", "et")  # load the lexical-only state
                timed("lexical only", lambda: None)
            raise Rollback
    except Rollback:
        pass
    load = os.getloadavg()
    print(f"{len(queries)} queries, best of {args.repeat} CPU each; load average "
          f"{load[0]:.1f} {load[1]:.1f} {load[2]:.1f} on {os.cpu_count()} CPUs")  # fmt: skip
    for label in ("lexical only", "dense, in memory", "dense, shared", "dense, model"):
        print(f"  {label:<18} {summary(rows[label])}")
    print(f"  model calls        {model_calls} of {len(queries)} queries")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
