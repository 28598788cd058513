"""Benchmark: import a 10 000-row price list for one municipality, as an editor's upload would.

Builds a throw-away SQLite (default) or the database in DATABASE_URL with test settings,
creates the catalogue rows the file refers to, then times read → plan (validate every row) →
apply (one transaction), and reports peak Python memory with tracemalloc. Also times a
moderator approving every row (each approval publishes and closes the previous price).

    .venv/bin/python bench/import_prices.py [--rows 10000] [--approve]

Target: import under 10 s."""

import argparse
import json
import os
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.test")


def build_file(rows: int, providers) -> bytes:
    """`rows` rows: each provider × component, with yearly prices so every offer has history."""
    from publishing.imports import COLUMNS

    lines = [";".join(str(c.label) for c in COLUMNS)]
    from directory.models.offers import today

    count = 0
    year = today().year + 1  # a new price may not start before today
    while count < rows:
        for provider in providers:
            for index in range(50):
                if count >= rows:
                    break
                amount = f"{20 + index}{',50' if year % 2 else ',00'}"
                lines.append(
                    ";".join(
                        [
                            "component",
                            f"bench-component-{index}",
                            "",
                            provider.registry_code,
                            provider.name,
                            "hour",
                            "",
                            amount,
                            "",
                            "",
                            "",
                            f"{year}-01-01",
                            "",
                        ]
                    )
                )
                count += 1
        year += 1
    return ("\n".join(lines) + "\n").encode("utf-8")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--approve", action="store_true", help="also time a moderator approving every row")
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()
    db_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        from bench.kov_data import make_kov
        from directory import models as m
        from publishing import imports, workflow
        from publishing.permissions import setup_kov_permissions

        kov, _unit, _components = make_kov(m)
        providers = m.Provider.objects.bulk_create(
            m.Provider(name=f"Bench Provider {i}", registry_code=f"8{i:07d}", kind="ngo") for i in range(20)
        )
        setup_kov_permissions()
        user = get_user_model().objects.create_superuser("bench", "bench@example.com", "bench")
        data = build_file(args.rows, providers)
        print(
            f"database: {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}; "
            f"file: {args.rows} rows, {len(data) / 1024:.0f} KiB"
        )

        tracemalloc.start()
        cpu = time.process_time()
        start = time.perf_counter()
        table = imports.read_table(data, "bench.csv")
        # The upload stores the rows read (PriceImport.table); preview and apply load them.
        stored = json.dumps(table.to_json())
        table = imports.Table.from_json(json.loads(stored))
        read = time.perf_counter()
        plan = imports.plan_import(table, kov)
        planned = time.perf_counter()
        assert not plan.errors, plan.errors[:3]
        written = imports.apply_plan(plan, user)
        applied = time.perf_counter()
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        print(
            f"read + store {read - start:.2f} s ({len(stored) / 2**20:.1f} MiB JSON) · "
            f"validate {planned - read:.2f} s · apply {applied - planned:.2f} s"
        )
        cpu = time.process_time() - cpu
        verdict = "OK" if applied - start < 10 else "MISSED"
        print(
            f"IMPORT {written} price rows ({len(plan.additions)} new-offer rows, "
            f"{len(plan.changes)} changes): {applied - start:.2f} s wall, {cpu:.2f} s CPU, "
            f"peak memory {peak / 2**20:.1f} MiB (target < 10 s: {verdict})"
        )

        if args.approve:
            start = time.perf_counter()
            pending = list(m.Price.objects.filter(status="pending").select_related("offer"))
            offers = list(m.Offer.objects.filter(status="pending"))
            workflow.approve_many(offers + pending, user)
            print(f"APPROVE {len(pending)} prices: {time.perf_counter() - start:.2f} s")
        call_command("check", verbosity=0)
    finally:
        connection.creation.destroy_test_db(db_name, verbosity=0)


if __name__ == "__main__":
    main()
