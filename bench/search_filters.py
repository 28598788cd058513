"""The search page's how-to-get-it filters: what paging through every result costs.

    .venv/bin/python bench/search_filters.py [--queries 100] [--keep]

Before, the page asked the backend for 50 results and narrowed those (the rest unreachable);
now `search.access_filters.search` asks for every result the paging reaches (up to 1 050),
narrows and counts them, and cuts out the page. Both are timed here side by side in one run,
in-process (no HTTP), over the same queries and filters, on a throwaway database of the
DATABASE_URL kind with the demo data (bench/search_speed.py builds it the same way). Prints
wall-clock and CPU p50/p95 and the load average."""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from search_speed import Timer, make_queries, percentiles, start_django  # noqa: E402  (bench/)

FILTERS = ({"free": "1"}, {"open": "weekend"}, {"delivery": "at-home"}, {"near": "Tartu"})


def before(params, filters):
    """The old way: 50 results at once, narrowed; page 1 only."""
    from search import access_filters
    from search.service import search

    results = search(replace(params, limit=50, offset=0), record=False)
    hits, _near = access_filters.apply(results.hits, filters)
    return len(hits)


def after(params, filters):
    from search import access_filters

    results, _near = access_filters.search(params, filters)
    return results.total


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--queries", type=int, default=100)
    parser.add_argument("--keep", action="store_true", help="keep the throwaway database")
    args = parser.parse_args(argv)

    _url, cleanup = start_django(args.keep)
    from django.core.management import call_command
    from django.db import connection

    from directory.demo import load_demo_data
    from directory.models import Offer
    from search import access_filters, service
    from search.backends import get_backend
    from search.params import read_search_request

    service.record_search = lambda *a, **k: None  # the query log is not what is measured
    try:
        call_command("migrate", verbosity=0, interactive=False)
        call_command("load_catalogue", verbosity=0)
        call_command("build_site_tree", verbosity=0)
        call_command("load_search_synonyms", verbosity=0)
        load_demo_data()
        get_backend("database").rebuild()
        print(f"{connection.vendor}: {Offer.objects.count()} offers")
        cases = []
        for n, query in enumerate(make_queries(args.queries)):
            raw = {"q": query["q"], **FILTERS[n % len(FILTERS)]}
            filters, errors = access_filters.read(raw)
            params = read_search_request(
                {**{k: v for k, v in query.items() if k != "lang"}, "lang": query["lang"], "limit": 10},
                query["lang"],
            )
            if not errors:
                cases.append((params, filters))
        found = {"before": 0, "after": 0}
        for kept in (False, True):  # the first pass warms the engine; the second is kept
            timers = {"before": Timer(), "after": Timer()}
            for params, filters in cases:
                for name, run in (("before", before), ("after", after)):
                    with timers[name]:
                        count = run(params, filters)
                    found[name] += count if kept else 0
        load = os.getloadavg()[0]
        print(f"{len(cases)} filtered searches, load average {load:.1f} on {os.cpu_count()} CPUs")
        for name, timer in timers.items():
            print(f"  {name:6} wall {percentiles(timer.wall)}")
            print(f"  {name:6} CPU  {percentiles(timer.cpu)} · results reachable in all: {found[name]}")
    finally:
        cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
