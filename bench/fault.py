"""Fault run: the load of bench/load.py while the PostgreSQL server restarts underneath it.

    .venv/bin/python bench/fault.py        # 60 s of load, PostgreSQL restarted after 20 s

The database server is the script's own: a private PostgreSQL (initdb into a temporary
directory, the binaries of /usr/lib/postgresql/<newest>/bin, port 8169 on 127.0.0.1, its socket
in the temporary directory), filled like `make setup` (migrate, catalogue, page tree, demo data,
search index), restarted with `pg_ctl restart -m fast` during the load, and stopped and removed
at the end, also on Ctrl-C or an error. The machine's shared PostgreSQL server is not touched.
gunicorn listens on port 8162. Meanwhile a writer publishes new prices, the way a
KOV editor would (one a second; --publish-every). Prints:
  - how long requests failed, and how many, while the database was away;
  - that the portal recovered by itself: every request in the last 10 s answered, /readyz 200,
    with the same gunicorn processes (nothing restarted the app);
  - that no data was lost: every price row that existed before is unchanged, and every price
    whose publish was acknowledged is there, with its history intact."""

import argparse
import asyncio
import datetime as dt
import os
import pwd
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import load  # noqa: E402 - the load generator and server helpers

DATABASE_NAME = "abi_ops_bench"


class PrivatePostgreSQL:
    """A throw-away PostgreSQL server in a temporary directory, run by the postgres user when
    this script runs as root (initdb and the server refuse to run as root)."""

    def __init__(self, port: int):
        self.port = port
        versions = sorted(Path("/usr/lib/postgresql").iterdir(), key=lambda path: int(path.name))
        self.bin = versions[-1] / "bin"
        self.dir = Path(tempfile.mkdtemp(prefix="abi-ops-fault-pg-"))
        self.data = self.dir / "data"
        self.log = self.dir / "server.log"
        self.user = None
        if os.geteuid() == 0:
            self.user = "postgres"
            account = pwd.getpwnam(self.user)
            os.chown(self.dir, account.pw_uid, account.pw_gid)
        self.url = f"postgres://postgres@127.0.0.1:{port}/{DATABASE_NAME}"

    def _run(self, program: str, *args: str) -> float:
        command = [str(self.bin / program), *args]
        if self.user:
            command = ["runuser", "-u", self.user, "--", *command]
        started = time.monotonic()
        result = subprocess.run(command, capture_output=True, text=True, check=False)
        if result.returncode != 0:
            log = self.log.read_text()[-2000:] if self.log.exists() else ""
            raise RuntimeError(f"{program} {' '.join(args)} failed:\n{result.stderr}{result.stdout}\n{log}")
        return time.monotonic() - started

    def start(self) -> None:
        self._run(
            "initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"
        )
        # In postgresql.conf rather than on pg_ctl's command line, so a restart keeps them.
        with open(self.data / "postgresql.conf", "a") as conf:
            conf.write(
                f"\nport = {self.port}\nlisten_addresses = '127.0.0.1'\n"
                f"unix_socket_directories = '{self.dir}'\nmax_connections = 100\n"
            )
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-w", "start")

    def restart(self) -> float:
        """Fast shutdown (open sessions are cut, as in a crash-free failover) and start; seconds."""
        return self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-m", "fast", "-w", "restart")

    def remove(self) -> None:
        if (self.data / "postmaster.pid").exists():
            try:
                self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")
            except RuntimeError as error:
                print(f"stopping the private PostgreSQL failed: {error}", file=sys.stderr)
        shutil.rmtree(self.dir, ignore_errors=True)


def untouched_fingerprint(database_url: str, offer_id: int) -> tuple[int, str]:
    """Every price row except the writer's offer's (publishing closes its previous price)."""
    import psycopg

    with psycopg.connect(database_url) as connection:
        return connection.execute(
            "SELECT count(*), md5(coalesce(string_agg(concat_ws('|', id, offer_id, price_individual, "
            "price_group, client_share_amount, client_share_percent, valid_from, valid_to, status), ',' "
            "ORDER BY id), '')) FROM directory_price WHERE offer_id <> %s",
            [offer_id],
        ).fetchone()


class Writer(threading.Thread):
    """Publishes a price every `every` seconds through the domain code (Price.publish), recording
    which publishes were acknowledged and which failed. Each publish moves the content version
    (directory.content_version, a database row gunicorn reads too), so cached pages and the
    open-data files go stale with every publish and the next request rebuilds them."""

    def __init__(self, stop: threading.Event, every: float):
        super().__init__(daemon=True)
        self.stop = stop
        self.every = every
        self.failures: Counter = Counter()
        self.acknowledged: list[tuple[int, dt.date]] = []
        self.failed = 0
        self.offer_id = None

    def setup(self):
        from directory.models import Offer, Price

        offer = Offer.objects.filter(prices__status="published").order_by("id").first()
        self.offer_id = offer.pk
        last = Price.objects.filter(offer=offer).order_by("-valid_from").first()
        self.unit_id = last.unit_id
        self.next_day = max(last.valid_from, dt.date(2030, 1, 1)) + dt.timedelta(days=1)

    def run(self):
        from django.db import close_old_connections

        from directory.models import Price

        n = 0
        while not self.stop.is_set():
            close_old_connections()  # what Django does at the start of every request
            day = self.next_day
            try:
                amount = Decimal("10.00") + n
                price = Price(
                    offer_id=self.offer_id, unit_id=self.unit_id, price_individual=amount, valid_from=day
                )
                price.publish()
                self.acknowledged.append((price.pk, day))
                self.next_day += dt.timedelta(days=1)
            except Exception as error:  # noqa: BLE001 - a failed publish during the outage is the point
                self.failed += 1
                self.failures[type(error).__name__] += 1
                from django.db import connection

                connection.close()
                # The publish may have committed before the error (an after-commit hook failed):
                # never try the same day twice, or every later publish would be refused as a
                # duplicate.
                self.next_day += dt.timedelta(days=1)
            n += 1
            self.stop.wait(self.every)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=8162)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--restart-after", type=float, default=20)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--no-restart", action="store_true", help="check the harness without the fault")
    parser.add_argument("--publish-every", type=float, default=1.0, help="seconds between publishes")
    parser.add_argument("--postgres-port", type=int, default=8169, help="the private PostgreSQL's port")
    args = parser.parse_args()

    # Ctrl-C raises KeyboardInterrupt; make a plain `kill` unwind the same way, through `finally`.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("stopped"))
    postgres = PrivatePostgreSQL(args.postgres_port)
    try:
        print(f"private PostgreSQL in {postgres.dir}, port {args.postgres_port}", flush=True)
        postgres.start()
        run(args, postgres)
    finally:
        postgres.remove()


def run(args: argparse.Namespace, postgres: PrivatePostgreSQL) -> None:
    DATABASE = postgres.url  # noqa: N806 - one database for the whole run
    load.ensure_database(DATABASE)
    os.environ.update(DJANGO_SETTINGS_MODULE="portal.settings.dev", DATABASE_URL=DATABASE)
    sys.path.insert(0, str(load.ROOT))
    import django

    django.setup()

    env = load.production_env(DATABASE, args.port, response_cache=True)
    env["GUNICORN_MAX_REQUESTS"] = "0"  # no planned worker recycling: any new worker would be a crash
    server = load.start_gunicorn(env, args.port)
    try:
        time.sleep(3)  # every worker has booted
        boots_before = worker_boots(args.port)
        stop = threading.Event()
        writer = Writer(stop, args.publish_every)
        writer.setup()
        before_count, before_digest = untouched_fingerprint(DATABASE, writer.offer_id)
        total_before = load.count_prices(DATABASE)
        print(
            f"gunicorn on 127.0.0.1:{args.port} (production settings, PostgreSQL, Redis), "
            f"{args.connections} connections for {args.seconds:.0f} s; "
            f"the private PostgreSQL restarts at {args.restart_after:.0f} s"
        )
        print(f"prices before        : {total_before}")

        restart = {}

        async def scenario():
            loop = asyncio.get_running_loop()
            load_task = asyncio.ensure_future(
                load.run_load(args.port, load.traffic(DATABASE), args.seconds, args.connections, timeout=10)
            )
            await asyncio.sleep(args.restart_after)
            origin = loop.time()
            restart["took"] = 0.0 if args.no_restart else await loop.run_in_executor(None, postgres.restart)
            results = await load_task
            restart["offset"] = origin - results.started
            return results

        writer.start()
        results = asyncio.run(scenario())
        stop.set()
        writer.join()

        ready = readyz(args.port)
        boots_after = worker_boots(args.port)
        after_count, after_digest = untouched_fingerprint(DATABASE, writer.offer_id)
        total_after = load.count_prices(DATABASE)
    finally:
        load.stop_gunicorn(server)

    load.report(results, args.seconds)
    failures = [t for t, ok in results.timeline if not ok]
    print(
        f"postgres restart     : at {restart['offset']:.1f} s, "
        f"pg_ctl restart -m fast took {restart['took']:.1f} s"
    )
    # Requests count by the second they started in; the restart's own window is the run of
    # seconds with failures around it, anything else failed for another reason (a cold start).
    per_second = Counter(int(t) for t in failures)
    print(f"failures per second  : {dict(sorted(per_second.items())) or 'none'}")
    window = {int(restart["offset"])}
    for step in (-1, 1):
        second = int(restart["offset"]) + step
        while per_second.get(second):
            window.add(second)
            second += step
    during = [t for t in failures if int(t) in window]
    if during:
        print(
            f"requests failed      : {len(during)} around the restart, started from {min(during):.1f} s to "
            f"{max(during):.1f} s — a window of {max(during) - min(during):.1f} s; "
            f"{len(failures) - len(during)} at other times"
        )
    else:
        print(f"requests failed      : none around the restart; {len(failures)} at other times")
    tail = [ok for t, ok in results.timeline if t >= args.seconds - 10]
    replaced = boots_after - boots_before
    recovered = bool(tail) and all(tail) and ready == 200 and replaced == 0
    print(
        f"recovered by itself  : {'yes' if recovered else 'NO'} — last 10 s: {sum(tail)}/{len(tail)} OK, "
        f"/readyz {ready}, gunicorn workers replaced: {replaced}"
    )
    acknowledged = len(writer.acknowledged)
    print(
        f"writer               : a publish every {args.publish_every:g} s; {acknowledged} acknowledged, "
        f"{writer.failed} refused {dict(writer.failures)}"
    )
    published = published_ids(DATABASE, writer.offer_id)  # a fresh connection, not the stale ORM one
    missing = [pk for pk, _ in writer.acknowledged if pk not in published]
    unchanged = (before_count, before_digest) == (after_count, after_digest)
    gaps = history_gaps(DATABASE, writer.offer_id)
    unacknowledged = total_after - total_before - acknowledged
    print(
        f"prices after         : {total_after} (before {total_before} + {acknowledged} acknowledged"
        f" = {total_before + acknowledged}; committed although the publish raised: {unacknowledged})"
    )
    print(
        f"no data lost         : {'yes' if unchanged and not missing and not gaps else 'NO'} — rows that "
        f"existed before unchanged: {unchanged}; acknowledged publishes missing: {len(missing)}; "
        f"gaps in the written offer's price history: {gaps}"
    )


def history_gaps(database_url: str, offer_id: int) -> int:
    """Published prices of the offer whose validity does not end the day before the next one
    starts: a publish that closed the old price but failed to add the new one would leave one."""
    import psycopg

    with psycopg.connect(database_url) as connection:
        return connection.execute(
            "SELECT count(*) FROM (SELECT valid_to, lead(valid_from) OVER (ORDER BY valid_from) AS next_from "
            "FROM directory_price WHERE offer_id = %s AND status = 'published') AS chain "
            "WHERE next_from IS NOT NULL AND valid_to IS DISTINCT FROM next_from - 1",
            [offer_id],
        ).fetchone()[0]


def published_ids(database_url: str, offer_id: int) -> set[int]:
    import psycopg

    with psycopg.connect(database_url) as connection:
        rows = connection.execute(
            "SELECT id FROM directory_price WHERE offer_id = %s AND status = 'published'", [offer_id]
        )
        return {row[0] for row in rows}


def readyz(port: int) -> int:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=5) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return 0


def worker_boots(port: int) -> int:
    """Workers gunicorn has started so far, from its log: a crashed or timed-out worker is replaced
    by a new boot."""
    log = load.ROOT / "bench" / f".gunicorn-{port}.log"
    return log.read_text().count("Booting worker")


if __name__ == "__main__":
    main()
