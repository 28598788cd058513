"""Soak: several editors write while one partner mirrors the directory through the changes feed.

Builds a throw-away SQLite (default) or the database in DATABASE_URL with test settings, then
runs W writer threads (each on its own connection, each change in its own transaction:
publishing prices that close earlier ones, withdrawing offers, creating, correcting, deleting,
unpublishing contacts) for S seconds while one mirror polls /api/v1/changes/ (Django test
client) as fast as it can. Afterwards the mirror catches up once more and is compared with
every public row the list endpoints serve. Prints changes written (change records committed),
delivered (feed entries applied), lost (rows where mirror and directory differ) and refused
(writes that lost a race between editors and rolled back, so wrote nothing).

SQLite has one writer at a time, so there the writers take turns (busy waits are retried).

    .venv/bin/python bench/feed_soak.py [--writers 4] [--seconds 60]"""

import argparse
import os
import random
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.test")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--writers", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=60)
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import DatabaseError, connection, connections, transaction
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()
    if connection.vendor == "sqlite":  # a file: an in-memory database's shared cache locks whole tables
        connection.settings_dict["TEST"]["NAME"] = "/tmp/abiportaal_feed_soak.sqlite3"  # noqa: S108
    db_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        from api.models import ChangeRecord
        from directory.models.offers import PriceError
        from tests.api.mirror import Mirror, directory_as_served, make_base, random_change

        base = make_base()
        start = ChangeRecord.objects.count()
        stop = time.monotonic() + args.seconds
        counts = {"refused": 0}
        lock = threading.Lock()

        def editor(seed: int):
            rng = random.Random(seed)
            try:
                while time.monotonic() < stop:
                    try:
                        with transaction.atomic():
                            random_change(rng, base)
                    except (PriceError, DatabaseError):
                        with lock:
                            counts["refused"] += 1
            finally:
                connections.close_all()

        client = Client()

        def get(url):
            return client.get(url).json()

        mirror = Mirror()
        threads = [threading.Thread(target=editor, args=(seed,)) for seed in range(args.writers)]
        for thread in threads:
            thread.start()
        polls = 0
        while any(t.is_alive() for t in threads):
            mirror.sync(get, limit=50)
            polls += 1
        mirror.sync(get, limit=50)
        served = directory_as_served(get)
        lost = sum(
            served[kind].get(key) != mirror.rows[kind].get(key)
            for kind in served
            for key in served[kind].keys() | mirror.rows[kind].keys()
        )
        written = ChangeRecord.objects.count() - start
        print(
            f"{connection.vendor}: {args.writers} writers × {args.seconds:.0f} s, 1 mirror ({polls} polls): "
            f"written {written} changes, delivered {mirror.delivered}, lost {lost}, "
            f"refused {counts['refused']}; public rows {sum(len(r) for r in served.values())}"
        )
        sys.exit(1 if lost else 0)
    finally:
        connections.close_all()
        connection.creation.destroy_test_db(db_name, verbosity=0)


if __name__ == "__main__":
    main()
