"""CPU milliseconds of one response-cache hit in-process: through Django's request handler
(`portal.wsgi:django_application`) and answered in front of it (`portal.wsgi:application`,
ops/wsgi.py), for a client with and without gzip; `--top N` prints a cProfile of the front.

    .venv/bin/python bench/cache_hit.py --hits 2000 --rounds 3
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/abi_rps .venv/bin/python bench/cache_hit.py

Needs a database with the demo data (bench/pages.py loads it). The response cache is on, in this
process's memory; the best round is reported, next to the load average."""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PATH = "/et/kov/narva-linn/"


def environ(gzipped: bool) -> dict:
    return {
        "REQUEST_METHOD": "GET", "PATH_INFO": PATH, "QUERY_STRING": "", "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8111", "HTTP_HOST": "127.0.0.1:8111", "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1", "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(),
        "wsgi.errors": sys.stderr, **({"HTTP_ACCEPT_ENCODING": "gzip"} if gzipped else {}),
    }  # fmt: skip


def get(application, gzipped: bool) -> tuple[str, dict, bytes]:
    sent = {}

    def start_response(status, headers, exc_info=None):
        sent["status"], sent["headers"] = status, dict(headers)

    chunks = application(environ(gzipped), start_response)
    body = b"".join(chunks)
    if hasattr(chunks, "close"):
        chunks.close()
    return sent["status"], sent["headers"], body


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hits", type=int, default=2000, help="hits per round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--top", type=int, default=0, help="cProfile lines of the front's hits")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.dev")
    os.environ.update(DEBUG="0", RESPONSE_CACHE="1", LOG_LEVEL="ERROR")
    os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost")
    from portal import wsgi

    applications = {"Django's handler": wsgi.django_application, "front (ops/wsgi.py)": wsgi.application}
    for gzipped in (True, False):
        get(wsgi.application, gzipped)
        status, headers, _body = get(wsgi.application, gzipped)
        assert status == "200 OK" and headers["X-Cache"] == "HIT", (status, headers)
    load = os.getloadavg()[0]
    print(f"{PATH}, load average {load:.1f}; CPU ms per hit, best of {args.rounds} × {args.hits}")
    for name, application in applications.items():
        for gzipped in (True, False):
            best = float("inf")
            for _ in range(args.rounds):
                started = time.process_time()
                for _ in range(args.hits):
                    get(application, gzipped)
                best = min(best, (time.process_time() - started) / args.hits * 1000)
            print(f"  {name:<22}{'gzip' if gzipped else 'identity':<10}{best:6.3f}")
    if args.top:
        profile = cProfile.Profile()
        profile.enable()
        for _ in range(args.hits):
            get(wsgi.application, True)
        profile.disable()
        pstats.Stats(profile).sort_stats("cumulative").print_stats(args.top)


if __name__ == "__main__":
    main()
