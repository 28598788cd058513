"""Requests/s and latency of the public pages, served by gunicorn, measured with wrk.

    .venv/bin/python bench/pages.py                # SQLite db.sqlite3 (as `make run` leaves it)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/abi_pages .venv/bin/python bench/pages.py

Serves the site with gunicorn (gunicorn.conf.py; 2 workers, 127.0.0.1:8111, DEBUG off) against a
database with the demo data (loaded first if it is missing), then for the home page, a
municipality page, a component page, a service page and a journey page runs wrk at 16
connections and at one connection, and prints requests/s, p50 and p99 — once with the anonymous
response cache (ops/) off, on sync workers as the bakerydemo reference, and once with it on, on
gthread workers with keep-alive (`--cache off|on|both`). Target (bench/README.md): uncached, the
municipality page at least twice the requests/s of the Wagtail bakerydemo content page on the
same machine; cached, thousands of requests/s."""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv" / "bin" / "python"
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
RESULTS = ROOT / "bench" / "results"
PAGES = {
    "home": "/et/",
    "municipality": "/et/kov/narva-linn/",
    "component": "/ru/components/personal-support/",
    "service": "/en/services/home-care/",
    "journey": "/en/journeys/elderly-in-need/?municipality=narva-linn",
}
BAKERYDEMO_REQ_S = (50, 75)  # the reference: bakerydemo content page, 2 sync workers, 16 connections


def environment(cached: bool = False) -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.dev")
    env["DEBUG"] = "0"  # no debug toolbar, no query logging: as in production
    env.setdefault("SECRET_KEY", "bench-only-not-secret")
    env.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost")
    env.setdefault("LOG_LEVEL", "ERROR")
    # The response cache (ops/): with REDIS_URL set it lives in Redis, shared by both workers, as
    # in production; without, each worker keeps its own in memory (nothing is written meanwhile).
    env["RESPONSE_CACHE"] = "1" if cached else "0"
    if env.get("REDIS_URL"):
        env.setdefault("CACHE_KEY_PREFIX", f"abi-bench-pages-{os.getpid()}")
    return env


def manage(*args: str, env: dict[str, str]) -> str:
    return subprocess.run(
        [str(PYTHON), "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    ).stdout


def ensure_demo_data(env: dict[str, str]) -> None:
    manage("migrate", "--noinput", env=env)
    count = manage("shell", "-c", "from directory.models import Offer; print(Offer.objects.count())", env=env)
    if int(count.strip().splitlines()[-1]) == 0:
        print("Loading the catalogue, page tree and demo data (about a minute) …", flush=True)
        for command in ("load_catalogue", "build_site_tree", "load_demo_data"):
            manage(command, env=env)
    manage("compilemessages", "--ignore=.venv", "--ignore=node_modules", env=env)


def serve(
    env: dict[str, str],
    port: int,
    workers: int,
    worker_class: str,
    threads: int,
    wait: float = 20,
    root: Path = ROOT,
) -> subprocess.Popen:
    """gunicorn with the project's gunicorn.conf.py, as deployed, but for the worker class,
    the worker count and the port; `root` serves another checkout (a before/after comparison)."""
    env = {
        **env,
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": str(workers),
        "GUNICORN_WORKER_CLASS": worker_class,
        "GUNICORN_THREADS": str(threads),
        "GUNICORN_LOGLEVEL": "warning",
        "GUNICORN_MAX_REQUESTS": "0",  # no worker restarts in the middle of a measurement
    }
    server = subprocess.Popen(
        [str(GUNICORN), "-c", str(root / "gunicorn.conf.py"), "portal.wsgi:application"], cwd=root, env=env
    )
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/robots.txt", timeout=1)  # noqa: S310
            return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("gunicorn did not start")


def to_ms(text: str) -> float:
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def run_wrk(url: str, connections: int, seconds: int, extra: list[str] | tuple = ()) -> dict[str, float]:
    out = subprocess.run(
        [
            "wrk",
            f"-t{min(connections, 2)}",
            f"-c{connections}",
            f"-d{seconds}s",
            "--timeout",
            "10s",
            "--latency",
            *extra,
            url,
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    percentiles = dict(re.findall(r"^\s+(\d+)%\s+(\S+)\s*$", out, re.M))
    if "50" not in percentiles:
        raise SystemExit(f"wrk measured nothing for {url}:\n{out}")
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {
        "req_s": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50_ms": to_ms(percentiles["50"]),
        "p99_ms": to_ms(percentiles["99"]),
        "errors": int(errors.group(1)) if errors else 0,
    }


def measure(env: dict[str, str], args, worker_class: str) -> dict[str, dict]:
    server = serve(env, args.port, args.workers, worker_class, args.threads)
    results = {}
    try:
        base = f"http://127.0.0.1:{args.port}"
        for name, path in PAGES.items():
            with urllib.request.urlopen(base + path) as response:  # noqa: S310 — loopback
                assert response.status == 200, f"{path}: HTTP {response.status}"
            run_wrk(base + path, 2, 2)  # warm both workers (and, cached, fill the cache)
            results[name] = {
                "path": path,
                "loaded": run_wrk(base + path, args.connections, args.seconds),
                "one_client": run_wrk(base + path, 1, max(3, args.seconds // 2)),
            }
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    return results


def report(title: str, results: dict[str, dict]) -> None:
    print(f"\n{title}")
    print(f"{'page':<14}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'errors':>8}{'1 client p50 ms':>17}  path")
    for name, row in results.items():
        loaded, single = row["loaded"], row["one_client"]
        print(
            f"{name:<14}{loaded['req_s']:>9.1f}{loaded['p50_ms']:>9.1f}{loaded['p99_ms']:>9.1f}"
            f"{loaded['errors']:>8}{single['p50_ms']:>17.1f}  {row['path']}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8111)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--cached-worker-class",
        default="gthread",
        choices=["gthread", "sync"],
        help="workers for the cached run (the uncached run uses sync workers, as the bakerydemo reference)",
    )
    parser.add_argument("--threads", type=int, default=4, help="threads per gthread worker")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument(
        "--cache",
        choices=["off", "on", "both"],
        default="both",
        help="the anonymous response cache (ops/): off, on, or one run of each",
    )
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: apt-get install -y wrk")

    ensure_demo_data(environment())
    modes = {"off": [False], "on": [True], "both": [False, True]}[args.cache]
    runs = {}
    for cached in modes:
        env = environment(cached)
        worker_class = args.cached_worker_class if cached else "sync"
        load_before = os.getloadavg()[0]
        results = measure(env, args, worker_class)
        runs["cached" if cached else "uncached"] = results
        database = env.get("DATABASE_URL", "sqlite (db.sqlite3)").split("@")[-1]
        store = ("Redis" if env.get("REDIS_URL") else "per-worker memory") if cached else ""
        report(
            f"Public pages, response cache {'ON (' + store + ')' if cached else 'OFF'} — gunicorn "
            f"{args.workers} {worker_class} workers"
            f"{f' × {args.threads} threads' if worker_class == 'gthread' else ''}, "
            f"wrk {args.connections} connections, {args.seconds} s each; "
            f"database {database}; load average {load_before:.1f} before, {os.getloadavg()[0]:.1f} after",
            results,
        )

    target = 2 * BAKERYDEMO_REQ_S[0], 2 * BAKERYDEMO_REQ_S[1]
    if "uncached" in runs:
        achieved = runs["uncached"]["municipality"]["loaded"]["req_s"]
        verdict = "met" if achieved >= target[1] else "low end met" if achieved >= target[0] else "NOT met"
        low, high = BAKERYDEMO_REQ_S
        print(
            f"\nTarget: municipality page ≥ 2 × bakerydemo ({low}–{high} req/s) = {target[0]}–{target[1]} "
            f"req/s uncached; measured {achieved:.1f} req/s ({verdict})."
        )
    if "cached" in runs:
        slowest = min(row["loaded"]["req_s"] for row in runs["cached"].values())
        verdict = "met" if slowest >= 1000 else "NOT met"
        print(f"Target: thousands of req/s with the response cache; slowest page {slowest:.0f} ({verdict}).")
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "pages.json").write_text(json.dumps(runs, indent=2))
    sys.exit(0)


if __name__ == "__main__":
    main()
