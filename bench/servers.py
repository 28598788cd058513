"""Narva's cached page under each WSGI server, beside nginx serving the same bytes: the ceiling.

    .venv/bin/python bench/servers.py --rounds 2
    .venv/bin/python bench/servers.py --granian /tmp/rpsvenv/bin/granian --rounds 2
    .venv/bin/python bench/servers.py --granian /tmp/rpsvenv/bin/granian --bare

Every server runs 2 workers with the response cache on (per-worker memory; bench/pages.py's
environment) and they are measured in turn, with nginx (bench/ceiling.py's configuration) after
them, in each round and for identity and gzip, so all see the same machine load:

- `gunicorn`: gunicorn.conf.py (gthread × 4 threads), `portal.wsgi:application` — cached pages
  answered in front of Django's handler (ops/wsgi.py), as deployed;
- `gunicorn-django`: the same with `portal.wsgi:django_application`, every hit through Django's
  handler (EarlyResponseCacheMiddleware), as before ops/wsgi.py;
- with `--granian BIN` (granian is not a dependency; install it into a venv of its own):
  `granian` and `granian-django`, `--interface wsgi --workers 2 --blocking-threads 4`.

With `--bare`, each server instead serves a WSGI app that returns the page's bytes and does
nothing else: the most that server can send from Python on this machine."""

from __future__ import annotations

import argparse
import gzip
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from ceiling import PATH, fetch, require_tools, start_nginx  # noqa: E402
from pages import GUNICORN, ROOT, ensure_demo_data, environment, run_wrk  # noqa: E402

BARE_PAGE = "BENCH_BARE_PAGE"


def bare_application(environ, start_response):
    """The page's bytes (file BENCH_BARE_PAGE), gzipped for a client that accepts it."""
    raw = _bare_page()
    if re.search(r"\bgzip\b", environ.get("HTTP_ACCEPT_ENCODING", "")):
        body, extra = _bare_page(packed=True), [("Content-Encoding", "gzip")]
    else:
        body, extra = raw, []
    headers = [("Content-Type", "text/html; charset=utf-8"), ("Vary", "Accept-Encoding")]
    start_response("200 OK", [*headers, *extra, ("Content-Length", str(len(body)))])
    return [body]


_pages: dict[bool, bytes] = {}


def _bare_page(packed: bool = False) -> bytes:
    if packed not in _pages:
        raw = Path(os.environ[BARE_PAGE]).read_bytes()
        _pages[packed] = gzip.compress(raw) if packed else raw
    return _pages[packed]


def start(name: str, port: int, target: str, env: dict[str, str], args) -> subprocess.Popen:
    if name.startswith("gunicorn"):
        command = [str(GUNICORN), "-c", str(ROOT / "gunicorn.conf.py"), target]
        env = {
            **env,
            "GUNICORN_BIND": f"127.0.0.1:{port}",
            "GUNICORN_WORKERS": str(args.workers),
            "GUNICORN_THREADS": str(args.threads),
            "GUNICORN_LOGLEVEL": "warning",
            "GUNICORN_MAX_REQUESTS": "0",
        }
    else:
        command = [
            args.granian, "--interface", "wsgi", "--workers", str(args.workers),
            "--blocking-threads", str(args.threads), "--port", str(port), "--log-level", "warning", target,
        ]  # fmt: skip
    return subprocess.Popen(command, cwd=ROOT, env=env)  # noqa: S603


def wait_for(url: str, server: subprocess.Popen) -> None:
    for _ in range(300):
        try:
            fetch(url, False)
            return
        except OSError:
            if server.poll() is not None:
                break
            time.sleep(0.2)
    raise SystemExit(f"{url} did not answer")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8170, help="first port; one per server")
    parser.add_argument("--granian", help="granian's executable: measure it too")
    parser.add_argument("--bare", action="store_true", help="a bare WSGI app sending the page's bytes")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    require_tools()

    env = environment(cached=True)
    ensure_demo_data(env)
    root = Path(tempfile.mkdtemp(prefix="abi-servers-"))
    root.chmod(0o755)  # nginx's workers run as another user (www-data)
    kinds = ["gunicorn", *(["granian"] if args.granian else [])]
    if args.bare:
        targets = dict.fromkeys(kinds, "servers:bare_application")
        env = {**env, "PYTHONPATH": str(ROOT / "bench"), BARE_PAGE: str(root / "page.html")}
    else:
        targets = {}
        for kind in kinds:
            targets[kind] = "portal.wsgi:application"
            targets[f"{kind}-django"] = "portal.wsgi:django_application"
    servers: dict[str, tuple[subprocess.Popen, str]] = {}
    nginx = None
    try:
        if args.bare:  # the bytes the site sends, from one Django server started for the purpose
            source = start("gunicorn", args.port, "portal.wsgi:application", environment(cached=True), args)
            servers["source"] = source, f"http://127.0.0.1:{args.port}{PATH}"
            wait_for(servers["source"][1], source)
            (root / "page.html").write_bytes(fetch(servers.pop("source")[1], False)[0])
            source.send_signal(signal.SIGTERM)
            source.wait(timeout=30)
        for number, (name, target) in enumerate(targets.items(), start=1):
            port = args.port + number
            servers[name] = start(name, port, target, env, args), f"http://127.0.0.1:{port}{PATH}"
        pages = {}
        for name, (server, url) in servers.items():
            wait_for(url, server)
            fetch(url, False)  # the second request comes from the cache
            port = url.split(":")[2].split("/")[0].encode()
            pages[name] = fetch(url, False)[0].replace(b":" + port + b"/", b":PORT/")
        html = next(iter(pages.values()))
        assert all(page == html for page in pages.values()), "every server sends the same page"
        nginx_url = f"http://127.0.0.1:{args.port}{PATH}"
        nginx = start_nginx(root, args.port, args.workers, html)
        print(
            f"Narva's page {PATH}: {len(html)} bytes ({len(gzip.compress(html))} gzipped); "
            f"{'a bare WSGI app sending those bytes' if args.bare else 'the site, response cache on'}; "
            f"{args.workers} workers × {args.threads} threads each; nginx {args.workers} workers; wrk "
            f"{args.connections} connections, {args.seconds} s per run, alternating; "
            f"{time.strftime('%H:%M', time.gmtime())} UTC, load average {os.getloadavg()[0]:.1f} at the start"
        )
        names = list(servers)
        heading = "".join(f"{name:>16}" for name in [*names, "nginx"])
        print(f"{'round':<7}{'encoding':<10}{heading}  (req/s, % of nginx)")
        for number in range(1, args.rounds + 1):
            for gzipped in (False, True):
                header = ["-H", "Accept-Encoding: gzip"] if gzipped else []
                results = {}
                for name, url in [*((n, servers[n][1]) for n in names), ("nginx", nginx_url)]:
                    run_wrk(url, 2, 2, header)  # warm both workers
                    results[name] = run_wrk(url, args.connections, args.seconds, header)
                assert all(r["errors"] == 0 for r in results.values()), results
                ceiling = results["nginx"]["req_s"]
                cells = [f"{results[n]['req_s']:>8.0f} {results[n]['req_s'] / ceiling:>6.1%}" for n in names]
                print(
                    f"{number:<7}{'gzip' if gzipped else 'identity':<10}"
                    + "".join(f"{cell:>16}" for cell in cells)
                    + f"{ceiling:>16.0f}"
                )
        print(f"load average {os.getloadavg()[0]:.1f} at the end")
    finally:
        if nginx is not None:
            nginx.send_signal(signal.SIGQUIT)
            nginx.wait(timeout=30)
        for server, _url in servers.values():
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
