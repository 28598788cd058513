"""Benchmark: a KOV moderator approves many pending prices at once.

Builds a throw-away SQLite (default) or the database in DATABASE_URL with test settings: one
municipality, N offers each with a published price and a pending new one. Then approves

- one by one (`workflow.approve()` per price → `Price.publish()`: how batch approval worked
  before `Price.objects.publish()`), on one half of the data;
- as a batch (`workflow.approve_many()`), on the other half;
- as a batch through the admin: the moderator's POST to the review queue's "approve
  selected" (Django test client, logged-in session), on a fresh set of 500 (the most the
  queue lists at once).

and prints CPU time (time.process_time; wall time is unreliable on these shared machines) and
SQL queries per approved price. Each run checks that every old price was closed the day
before its successor.

    .venv/bin/python bench/approve_prices.py [--prices 2000]"""

import argparse
import datetime as dt
import os
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.test")


def make_pending(m, kov, provider, components, unit, count: int, tag: str) -> list:
    """`count` offers with a published 2024 price and a pending 2026 price each."""
    offers = m.Offer.objects.bulk_create(
        m.Offer(
            municipality=kov,
            component=components[i % len(components)],
            provider=provider,
            notes_et=f"{tag} {i}",
            valid_from=dt.date(2024, 1, 1),
        )
        for i in range(count)
    )
    m.Price.objects.bulk_create(
        m.Price(
            offer=o,
            unit=unit,
            price_individual=Decimal("10.00"),
            valid_from=dt.date(2024, 1, 1),
            status="published",
        )
        for o in offers
    )
    return m.Price.objects.bulk_create(
        m.Price(
            offer=o,
            unit=unit,
            price_individual=Decimal("12.50"),
            valid_from=dt.date(2026, 1, 1),
            status="pending",
        )
        for o in offers
    )


def report(label: str, count: int, cpu: float, queries: int) -> None:
    print(
        f"{label:<34} {count:>5} prices: {cpu:7.2f} s CPU = {1000 * cpu / count:6.2f} ms/price, "
        f"{queries:>6} queries = {queries / count:.3f}/price"
    )


def check_closed(m, prices) -> None:
    pks = [p.pk for p in prices]
    offers = m.Offer.objects.filter(prices__pk__in=pks)
    open_old = m.Price.objects.filter(offer__in=offers, valid_from=dt.date(2024, 1, 1), valid_to__isnull=True)
    assert not open_old.exists(), "a previous price was left open"
    closed = m.Price.objects.filter(
        offer__in=offers, valid_from=dt.date(2024, 1, 1), valid_to=dt.date(2025, 12, 31)
    )
    assert closed.count() == len(pks)
    assert m.Price.objects.filter(pk__in=pks, status="published").count() == len(pks)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--prices", type=int, default=2000)
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.db import connection, transaction
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment
    from django.urls import reverse

    setup_test_environment()
    db_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        from bench.kov_data import make_kov
        from directory import models as m
        from publishing import workflow
        from publishing.permissions import setup_kov_permissions
        from publishing.scope import moderator_group_name

        kov, unit, components = make_kov(m)
        provider = m.Provider.objects.create(name="Bench Provider", registry_code="80000000", kind="ngo")
        setup_kov_permissions()
        moderator = get_user_model().objects.create_user("moderator", "m@example.com", "pw-moderator")
        moderator.groups.set([Group.objects.get(name=moderator_group_name(kov.code))])
        print(f"database: {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}")

        half = max(args.prices // 10, 1)  # one by one is slow: time a tenth of the prices
        slow = make_pending(m, kov, provider, components, unit, half, "slow")
        fast = make_pending(m, kov, provider, components, unit, args.prices, "fast")
        # The review queue lists up to 500 prices, and Django accepts 1 000 fields per POST.
        via_http = make_pending(m, kov, provider, components, unit, min(args.prices, 500), "http")

        prices = list(
            m.Price.objects.filter(pk__in=[p.pk for p in slow]).select_related("offer__municipality")
        )
        with CaptureQueriesContext(connection) as queries:
            cpu = time.process_time()
            for price in prices:  # as approve_many did before, one transaction per price here
                workflow.approve(price, moderator)
            cpu = time.process_time() - cpu
        check_closed(m, slow)
        report("one by one (Price.publish)", len(prices), cpu, len(queries))

        prices = list(
            m.Price.objects.filter(pk__in=[p.pk for p in fast]).select_related("offer__municipality")
        )
        with CaptureQueriesContext(connection) as queries:
            cpu = time.process_time()
            with transaction.atomic():
                workflow.approve_many(prices, moderator)
                written = time.process_time()
            cpu, on_commit = written - cpu, time.process_time() - written
        check_closed(m, fast)
        report("batch (approve_many)", len(prices), cpu + on_commit, len(queries))
        print(
            f"  of which on commit (search index of {len(prices)} offers, cache version): "
            f"{on_commit:.2f} s CPU"
        )

        client = Client()
        client.force_login(moderator)
        entries = [f"price:{p.pk}" for p in via_http]
        with CaptureQueriesContext(connection) as queries:
            cpu = time.process_time()
            response = client.post(
                reverse("publishing:approve_selected"), {"entry": entries, "decision": "approve"}
            )
            cpu = time.process_time() - cpu
        assert response.status_code == 302, response.status_code
        check_closed(m, via_http)
        report("batch over HTTP (review queue)", len(entries), cpu, len(queries))
    finally:
        connection.creation.destroy_test_db(db_name, verbosity=0)


if __name__ == "__main__":
    main()
