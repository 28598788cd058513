"""Where a public page's time goes: renders each page type in-process with Django's test client
and prints CPU (and wall-clock) milliseconds per request, SQL queries per request and a cProfile
summary. CPU time is the steadier measure on a machine shared with other work; it still rises
with the machine's load (caches and cores are shared), so the requests are timed in --rounds
rounds and the best round is reported, next to the load average.

    DATABASE_URL=sqlite:////tmp/abi.sqlite3 .venv/bin/python bench/profile_pages.py
    .venv/bin/python bench/profile_pages.py --pages municipality --requests 100 --top 40
    .venv/bin/python bench/profile_pages.py --warm-cold --requests 20   # municipality: warm/cold

Needs a database with the demo data (see bench/pages.py, which loads it). DEBUG is off and the
response cache is off, as in the uncached benchmark."""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PAGES = {
    "home": "/et/",
    "municipality": "/et/kov/narva-linn/",
    "component": "/ru/components/personal-support/",
    "service": "/en/services/home-care/",
    "journey": "/en/journeys/elderly-in-need/?municipality=narva-linn",
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", nargs="*", default=list(PAGES), choices=list(PAGES))
    parser.add_argument("--requests", type=int, default=50, help="requests per round")
    parser.add_argument("--rounds", type=int, default=3, help="timed rounds; the best is reported")
    parser.add_argument("--top", type=int, default=25, help="profile lines to print (0: none)")
    parser.add_argument("--sort", default="cumulative", help="pstats sort key: cumulative, tottime …")
    parser.add_argument(
        "--warm-cold",
        action="store_true",
        help="for the municipality page: CPU ms warm and cold, queries, HTML bytes raw and gzipped",
    )
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.dev")
    os.environ["DEBUG"] = "0"
    os.environ["RESPONSE_CACHE"] = "0"
    import django

    django.setup()
    from django.db import connection
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    if args.warm_cold:
        warm_and_cold(client, PAGES["municipality"], args.requests, args.rounds)
        if args.top:  # where a cold request's time goes
            profile = cProfile.Profile()
            for _ in range(args.requests):
                _content_changed()
                profile.enable()
                client.get(PAGES["municipality"])
                profile.disable()
            pstats.Stats(profile).strip_dirs().sort_stats(args.sort).print_stats(args.top)
        return
    for name in args.pages:
        path = PAGES[name]
        for _ in range(3):  # warm the template loader, translations, URL resolver
            response = client.get(path)
            assert response.status_code == 200, f"{path}: HTTP {response.status_code}"
        queries: list[str] = []  # a wrapper, because request_started resets connection.queries

        def count(execute, sql, *rest, queries=queries):
            queries.append(sql)
            return execute(sql, *rest)

        with connection.execute_wrapper(count):
            client.get(path)
        rounds = []
        for _ in range(max(1, args.rounds)):
            started, cpu_started = time.perf_counter(), time.process_time()
            for _ in range(args.requests):
                client.get(path)
            elapsed = (time.perf_counter() - started) / args.requests * 1000
            rounds.append(((time.process_time() - cpu_started) / args.requests * 1000, elapsed))
        cpu, elapsed = min(rounds)
        load = os.getloadavg()[0]
        if not args.top:
            print(
                f"== {name} {path}: {cpu:.1f} ms CPU ({elapsed:.1f} ms wall), {len(queries)} queries"
                f" — best of {len(rounds)} rounds, load average {load:.1f}"
            )
            continue
        profile = cProfile.Profile()
        profile.enable()
        for _ in range(args.requests):
            client.get(path)
        profile.disable()
        print(
            f"\n== {name} {path}: {cpu:.1f} ms CPU ({elapsed:.1f} ms wall) per request, "
            f"{len(queries)} queries, {len(response.content) // 1024} KiB, load average {load:.1f}"
        )
        pstats.Stats(profile).strip_dirs().sort_stats(args.sort).print_stats(args.top)


def _content_changed() -> None:
    """What a published change does to every cache: the content version moves on."""
    try:
        from directory import content_version
    except ImportError:  # before the one content version (main at 591184b): its three counters
        from api.models import DataVersion
        from ops.cache import bump_data_version
        from portal.models import PageTreeVersion

        DataVersion.bump(), PageTreeVersion.bump(), bump_data_version()
        return
    content_version.bump()


def warm_and_cold(client, path: str, requests: int, rounds: int) -> None:
    """Warm: what stays cached between requests is cached (memo, fragments), the response cache
    is off. Cold: the first request after a content change (the change itself is not timed)."""
    import gzip

    from django.db import connection

    def timed(before=None) -> tuple[float, int]:
        best = None
        for _ in range(max(1, rounds)):
            cpu = 0.0
            for _ in range(requests):
                if before:
                    before()
                queries: list[str] = []

                def count(execute, sql, *rest, queries=queries):
                    queries.append(sql)
                    return execute(sql, *rest)

                started = time.process_time()
                with connection.execute_wrapper(count):
                    response = client.get(path)
                cpu += time.process_time() - started
                assert response.status_code == 200
            ms = cpu / requests * 1000
            best = ms if best is None else min(best, ms)
        return best, len(queries)

    for _ in range(3):
        client.get(path)
    warm_ms, warm_queries = timed()
    cold_ms, cold_queries = timed(_content_changed)
    raw = client.get(path).content
    sent = client.get(path, HTTP_ACCEPT_ENCODING="gzip")
    packed = len(sent.content) if sent.get("Content-Encoding") == "gzip" else len(gzip.compress(raw))
    print(
        f"== municipality {path}: warm {warm_ms:.1f} ms CPU, {warm_queries} queries; "
        f"cold {cold_ms:.1f} ms CPU, {cold_queries} queries; HTML {len(raw) / 1024:.1f} KiB raw, "
        f"{packed / 1024:.1f} KiB gzip"
        f" — best of {rounds} rounds of {requests}, load average {os.getloadavg()[0]:.1f}"
    )


if __name__ == "__main__":
    main()
