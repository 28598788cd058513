"""Renders public pages cold (right after a content change) in-process and writes their HTML to
a directory, so that a change meant to keep the markup can be checked byte for byte:

    .venv/bin/python bench/page_snapshots.py /tmp/before     # on the old code
    .venv/bin/python bench/page_snapshots.py /tmp/after      # on the new code, same database
    diff -r /tmp/before /tmp/after

Pages: five municipality pages (the largest and smallest price lists among them), the home page,
the municipalities index, a component and a journey page, each in et, ru and en. DEBUG and the
response cache are off, as in bench/profile_pages.py. Each page is fetched twice, cold and then
warm (from the cached fragments), and both are compared."""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

MUNICIPALITIES = ("narva-linn", "tartu-linn", "hiiumaa-vald", "ruhnu-vald", "tallinn")
OTHER_PAGES = (
    "",
    "kov/",
    "components/personal-support/",
    "journeys/elderly-in-need/?municipality=narva-linn",
)


def main() -> None:
    target = Path(sys.argv[1])
    target.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.dev")
    os.environ["DEBUG"] = "0"
    os.environ["RESPONSE_CACHE"] = "0"
    import django

    django.setup()
    from django.test import Client

    from directory import content_version

    client = Client(HTTP_HOST="127.0.0.1")
    paths = [f"kov/{code}/" for code in MUNICIPALITIES] + list(OTHER_PAGES)
    for language in ("et", "ru", "en"):
        for path in paths:
            url = f"/{language}/{path}"
            stem = path.strip("/").replace("/", "-").replace("?", "-") or "home"
            content_version.bump()
            for state in ("cold", "warm"):
                response = client.get(url)
                assert response.status_code == 200, f"{url}: HTTP {response.status_code}"
                (target / f"{language}-{stem}-{state}.html").write_bytes(response.content)
    print(f"{len(list(target.iterdir()))} pages written to {target}")


if __name__ == "__main__":
    main()
