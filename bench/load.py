"""Loopback load test: gunicorn with the production settings on PostgreSQL (and Redis), hit by
mixed traffic — public pages in three languages, API reads and API search — for a fixed time over
N keep-alive connections. Prints requests/s, p50/p99 latency and the error count.

    .venv/bin/python bench/load.py                      # 60 s, 32 connections, port 8161
    .venv/bin/python bench/load.py --no-response-cache  # the same with every request rendered

It prepares the database when it is empty (migrate, catalogue, page tree, demo data, search
index), runs collectstatic, starts gunicorn, waits for /readyz, runs the load and stops gunicorn
again. Every request goes to a real URL: any connection failure, time-out or status of 400 or
above is an error. Not a unit test: it prints numbers to compare."""

import argparse
import asyncio
import json
import os
import random
import signal
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
LANGS = ("et", "ru", "en")


# -- the server ------------------------------------------------------------------------------


def production_env(database_url: str, port: int, response_cache: bool) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_", "REDIS_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="portal.settings.production",
        SECRET_KEY="bench-only-" + "x" * 50,
        DATABASE_URL=database_url,
        ALLOWED_HOSTS="127.0.0.1",
        REDIS_URL="redis://127.0.0.1:6379/4",  # the ops session's Redis database
        CACHE_KEY_PREFIX=f"abi-bench-{port}",
        RESPONSE_CACHE="true" if response_cache else "false",
        LOG_LEVEL="WARNING",  # access lines for every request would cost more than the pages
        GUNICORN_BIND=f"127.0.0.1:{port}",
        # The script stands in for the load balancer: it names each connection's client in
        # X-Forwarded-For, so the per-address API rate limit sees 32 visitors, not one.
        TRUSTED_PROXY_COUNT="1",
        # Each database gets its own open-data files (their freshness is a version number).
        OPEN_DATA_ROOT=str(ROOT / "bench" / "results" / f"open-data-{port}"),
    )
    return env


def manage(args: list[str], env: dict, quiet: bool = True) -> str:
    result = subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        sys.exit(f"manage.py {' '.join(args)} failed:\n{result.stderr[-3000:]}")
    return result.stdout


# What `make setup` does, minus the demo accounts: the public site with its demo data.
FILL = (
    ["load_catalogue"],
    ["load_gaps"],
    ["build_site_tree"],
    ["setup_kov_permissions"],
    ["load_demo_data"],
    ["rebuild_search_index"],
)


def ensure_database(database_url: str) -> None:
    """Create the database if missing, migrate it, and fill it unless it already holds prices."""
    import psycopg

    name = database_url.rsplit("/", 1)[1]
    server = database_url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(server, autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{name}"')
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings.dev", "DATABASE_URL": database_url}
    manage(["migrate", "--noinput"], env)
    if count_prices(database_url) > 0:
        return
    print(f"Filling {name}: {', '.join(command[0] for command in FILL)} …", flush=True)
    for command in FILL:
        manage(command, env)


def count_prices(database_url: str) -> int:
    import psycopg

    with psycopg.connect(database_url) as connection:
        has_table = connection.execute("SELECT to_regclass('public.directory_price')").fetchone()[0]
        if has_table is None:
            return 0
        return connection.execute("SELECT count(*) FROM directory_price").fetchone()[0]


def price_fingerprint(database_url: str) -> tuple[int, int, str]:
    """Prices, published prices, and a checksum over every price row (history included)."""
    import psycopg

    with psycopg.connect(database_url) as connection:
        total, published, digest = connection.execute(
            "SELECT count(*), count(*) FILTER (WHERE status = 'published'), "
            "md5(coalesce(string_agg(concat_ws('|', id, offer_id, price_individual, price_group, "
            "client_share_amount, client_share_percent, valid_from, valid_to, status), ',' ORDER BY id), "
            "'')) FROM directory_price"
        ).fetchone()
    return total, published, digest


def start_gunicorn(env: dict, port: int) -> subprocess.Popen:
    # What a deploy does before taking traffic: static files, and the open-data files (the first
    # build takes seconds, and requests arriving before any files exist must wait for it).
    manage(["collectstatic", "--noinput"], env)
    manage(["export_open_data", "--if-stale"], env)
    # Start from a cold response cache: drop what an earlier run on this port left in Redis.
    import redis

    connection = redis.Redis.from_url(env["REDIS_URL"])
    for key in connection.scan_iter(f"{env['CACHE_KEY_PREFIX']}:*"):
        connection.delete(key)
    log = open(ROOT / "bench" / f".gunicorn-{port}.log", "w")  # noqa: SIM115 - lives as long as the server
    server = subprocess.Popen(
        [GUNICORN, "-c", "gunicorn.conf.py", "portal.wsgi"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=2) as response:
                if response.status == 200:
                    return server
        except OSError:
            time.sleep(0.5)
    stop_gunicorn(server)
    sys.exit(f"gunicorn did not become ready; see bench/.gunicorn-{port}.log")


def stop_gunicorn(server: subprocess.Popen) -> None:
    if server.poll() is None:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()


# -- the traffic -----------------------------------------------------------------------------


def traffic(database_url: str) -> list[tuple[str, str]]:
    """(kind, path) pairs; a request picks one at random. Weights: pages 60 %, API 25 %, search 15 %.
    Every path is a real URL of portal/urls.py, api/urls.py or search/ (a 404 is an error)."""
    import psycopg

    with psycopg.connect(database_url) as connection:
        municipalities = [row[0] for row in connection.execute("SELECT code FROM directory_municipality")]
        services = [row[0] for row in connection.execute("SELECT code FROM directory_service")]
        components = [row[0] for row in connection.execute("SELECT code FROM directory_component")]
        journeys = [row[0] for row in connection.execute("SELECT code FROM directory_journey")]
        published_offers = "SELECT id FROM directory_offer WHERE status = 'published'"
        offers = [row[0] for row in connection.execute(published_offers)]
    lines = (ROOT / "bench" / "search-dev-queries.jsonl").read_text().splitlines()
    queries = [json.loads(line) for line in lines if line]
    rng = random.Random(9)
    mix = []
    for _ in range(600):
        lang = rng.choice(LANGS)
        query = rng.choice([q for q in queries if q["lang"] == lang])
        page = rng.choices(
            [
                f"/{lang}/",
                f"/{lang}/kov/",
                f"/{lang}/kov/{rng.choice(municipalities)}/",
                f"/{lang}/services/{rng.choice(services)}/",
                f"/{lang}/components/{rng.choice(components)}/",
                f"/{lang}/journeys/",
                f"/{lang}/journeys/{rng.choice(journeys)}/",
                f"/{lang}/offers/{rng.choice(offers)}/history/",
                f"/{lang}/search/?q={urllib.parse.quote(query['q'])}",
                f"/{lang}/open-data/",
            ],
            weights=[4, 2, 10, 2, 2, 1, 1, 2, 2, 1],
        )[0]
        mix.append(("page", page))
    for _ in range(250):
        code = rng.choice(municipalities)
        mix.append(
            (
                "api",
                rng.choice(
                    [
                        "/api/v1/municipalities/",
                        f"/api/v1/municipalities/{code}/",
                        f"/api/v1/offers/?municipality={code}",
                        f"/api/v1/offers/{rng.choice(offers)}/",
                        f"/api/v1/prices/?municipality={code}",
                        f"/api/v1/services/{rng.choice(services)}/",
                        f"/api/v1/components/{rng.choice(components)}/",
                        f"/api/v1/journeys/{rng.choice(journeys)}/",
                    ]
                ),
            )
        )
    for _ in range(150):
        query = rng.choice(queries)
        q = urllib.parse.quote(query["q"])
        mix.append(("search", f"/api/v1/search/?q={q}&lang={query['lang']}"))
    return mix


@dataclass
class Results:
    started: float = 0.0
    latencies: dict = field(default_factory=lambda: defaultdict(list))
    statuses: Counter = field(default_factory=Counter)
    errors: Counter = field(default_factory=Counter)
    failed_paths: Counter = field(default_factory=Counter)
    cache: Counter = field(default_factory=Counter)
    # (seconds since start, ok?) for every finished request: the fault run's timeline
    timeline: list = field(default_factory=list)


class Connection:
    """One keep-alive HTTP/1.1 connection; reconnects when the server closes it."""

    def __init__(self, port: int, client_address: str):
        self.port = port
        self.client_address = client_address
        self.reader = self.writer = None

    async def get(self, path: str, timeout: float) -> tuple[int, dict, bytes]:
        for attempt in (1, 2):
            if self.writer is None:
                self.reader, self.writer = await asyncio.wait_for(
                    asyncio.open_connection("127.0.0.1", self.port), timeout
                )
            try:
                return await asyncio.wait_for(self._exchange(path), timeout)
            except (ConnectionError, asyncio.IncompleteReadError):
                self.close()
                if attempt == 2:
                    raise
            except BaseException:
                self.close()
                raise
        raise AssertionError("unreachable")

    async def _exchange(self, path: str):
        self.writer.write(
            (
                f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Forwarded-Proto: https\r\n"
                f"X-Forwarded-For: {self.client_address}\r\n"
                "Accept: text/html,application/json;q=0.9\r\nAccept-Encoding: identity\r\n\r\n"
            ).encode()
        )
        await self.writer.drain()
        status_line = await self.reader.readuntil(b"\r\n")
        status = int(status_line.split()[1])
        headers = {}
        while (line := await self.reader.readuntil(b"\r\n")) != b"\r\n":
            name, _, value = line.decode("latin-1").partition(":")
            headers[name.strip().lower()] = value.strip()
        if headers.get("transfer-encoding") == "chunked":
            body = b""
            while (size := int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16)) > 0:
                body += await self.reader.readexactly(size + 2)
            await self.reader.readuntil(b"\r\n")
        else:
            body = await self.reader.readexactly(int(headers.get("content-length", 0)))
        if headers.get("connection", "").lower() == "close":
            self.close()
        return status, headers, body

    def close(self):
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


async def client(port: int, n: int, mix, results: Results, stop_at: float, timeout: float):
    rng = random.Random(n)
    connection = Connection(port, client_address=f"10.9.{n // 250}.{n % 250 + 1}")
    loop = asyncio.get_running_loop()
    while loop.time() < stop_at:
        kind, path = rng.choice(mix)
        started = loop.time()
        try:
            status, headers, _ = await connection.get(path, timeout)
        except (TimeoutError, OSError, asyncio.IncompleteReadError, ValueError) as error:
            results.errors[f"{kind}: {type(error).__name__}"] += 1
            results.failed_paths[f"{type(error).__name__} {path}"] += 1
            results.timeline.append((started - results.started, False))
            await asyncio.sleep(0.05)  # a refused connection fails in microseconds; do not spin
            continue
        elapsed = loop.time() - started
        results.statuses[status] += 1
        ok = status < 400
        if not ok:
            results.errors[f"{kind}: HTTP {status}"] += 1
            results.failed_paths[f"{status} {path}"] += 1
        else:
            results.latencies[kind].append(elapsed)
            results.cache[headers.get("x-cache", "-")] += 1
        # A 429 is the API throttle answering this harness's own request rate, as configured: the
        # fault run's timeline does not count it as a failure (it stays in `errors`).
        results.timeline.append((started - results.started, ok or status == 429))
    connection.close()


async def run_load(port: int, mix, seconds: float, connections: int, timeout: float = 10.0) -> Results:
    results = Results()
    loop = asyncio.get_running_loop()
    results.started = loop.time()
    stop_at = results.started + seconds
    await asyncio.gather(*(client(port, n, mix, results, stop_at, timeout) for n in range(connections)))
    return results


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def report(results: Results, seconds: float) -> None:
    every = [v for values in results.latencies.values() for v in values]
    done = len(every)
    errors = sum(results.errors.values())
    answered = sum(results.statuses.values())
    print(f"requests answered    : {answered}  ({answered / seconds:.1f} req/s over {seconds:.0f} s)")
    print(f"  of which OK (< 400): {done}  ({done / seconds:.1f} req/s)")
    p50, p99 = percentile(every, 50) * 1000, percentile(every, 99) * 1000
    print(f"latency (OK answers) : p50 {p50:.1f} ms, p99 {p99:.1f} ms")
    for kind in ("page", "api", "search"):
        values = results.latencies.get(kind, [])
        if values:
            print(
                f"  {kind:<6} {len(values):>7} OK  p50 {percentile(values, 50) * 1000:7.1f} ms"
                f"  p99 {percentile(values, 99) * 1000:7.1f} ms"
            )
    print(f"errors               : {errors}" + (f"  {dict(results.errors)}" if errors else ""))
    for where, n in results.failed_paths.most_common(8):
        print(f"  {n:>5} × {where}")
    print(f"status codes         : {dict(sorted(results.statuses.items()))}")
    print(f"response cache       : {dict(results.cache)}")
    averages = " / ".join(f"{v:.1f}" for v in os.getloadavg())
    print(f"machine load average : {averages} (1/5/15 min; the machine is shared)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/abi_ops")
    parser.add_argument("--port", type=int, default=8161)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--no-response-cache", action="store_true")
    args = parser.parse_args()

    ensure_database(args.database_url)
    env = production_env(args.database_url, args.port, response_cache=not args.no_response_cache)
    server = start_gunicorn(env, args.port)
    try:
        cores = os.cpu_count()
        print(
            f"gunicorn on 127.0.0.1:{args.port}, production settings, PostgreSQL, Redis, "
            f"response cache {'off' if args.no_response_cache else 'on'}; {cores} cores; "
            f"{args.connections} connections for {args.seconds:.0f} s"
        )
        results = asyncio.run(run_load(args.port, traffic(args.database_url), args.seconds, args.connections))
        report(results, args.seconds)
    finally:
        stop_gunicorn(server)


if __name__ == "__main__":
    main()
