"""Narva's page from the response cache beside nginx serving the same bytes: the ceiling.

    .venv/bin/python bench/ceiling.py                       # SQLite db.sqlite3
    DATABASE_URL=sqlite:////tmp/abi.sqlite3 .venv/bin/python bench/ceiling.py --rounds 3

Serves the site with gunicorn (bench/pages.py: gunicorn.conf.py, 2 gthread workers × 4 threads,
the response cache on, hits answered in front of Django's handler by ops/wsgi.py;
bench/servers.py compares servers and the path without it), saves the page's bytes as the cache
sends them, and serves those bytes from a file with nginx (Debian's, `apt-get install -y nginx`:
2 worker processes, no access log, keep-alive; started here on its own port with its own
configuration and stopped after). wrk then alternates between the two at the same connections
for --rounds rounds, so both see the same machine load; the ratio of each pair is the figure to
read on a shared machine. Run both with and without `Accept-Encoding: gzip` (--gzip): the cache
keeps the compressed page too, nginx sends the same compressed bytes (`gzip_static`).

With `--before DIR` (another checkout, e.g. `git archive main | tar -x -C DIR` with `.venv`
linked into it) that code is served too, on --before-port, and measured in the same rounds just
before this one: before and after side by side under the same load."""

from __future__ import annotations

import argparse
import gzip
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from pages import ensure_demo_data, environment, run_wrk, serve  # noqa: E402

PATH = "/et/kov/narva-linn/"
NGINX_CONF = """
worker_processes {workers};
pid {root}/nginx.pid;
error_log {root}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 100000;
    types {{ text/html html; }}
    client_body_temp_path {root}/tmp;
    proxy_temp_path {root}/tmp;
    fastcgi_temp_path {root}/tmp;
    uwsgi_temp_path {root}/tmp;
    scgi_temp_path {root}/tmp;
    server {{
        listen 127.0.0.1:{port};
        root {root}/site;
        gzip_static on;
        location / {{ try_files $uri/index.html =404; }}
    }}
}}
"""


def fetch(url: str, gzipped: bool) -> tuple[bytes, dict[str, str]]:
    request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"} if gzipped else {})
    with urllib.request.urlopen(request) as response:  # noqa: S310 — loopback
        assert response.status == 200, f"{url}: HTTP {response.status}"
        return response.read(), dict(response.headers)


def require_tools() -> None:
    for tool in ("wrk", "nginx"):
        if not shutil.which(tool):
            raise SystemExit(f"{tool} is missing: apt-get install -y {tool}")


def start_nginx(root: Path, port: int, workers: int, html: bytes) -> subprocess.Popen:
    page = root / "site" / PATH.strip("/")
    page.mkdir(parents=True)
    (root / "tmp").mkdir()
    (page / "index.html").write_bytes(html)
    (page / "index.html.gz").write_bytes(gzip.compress(html))
    conf = root / "nginx.conf"
    conf.write_text(NGINX_CONF.format(root=root, port=port, workers=workers))
    server = subprocess.Popen(["nginx", "-c", str(conf), "-p", str(root), "-g", "daemon off;"])
    for _ in range(100):
        try:
            fetch(f"http://127.0.0.1:{port}{PATH}", False)
            return server
        except OSError:
            if server.poll() is not None:
                break
            time.sleep(0.1)
    server.terminate()
    raise SystemExit(f"nginx did not start on port {port}: {(root / 'error.log').read_text()[-500:]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8111)
    parser.add_argument("--nginx-port", type=int, default=8112)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--gzip", action="store_true", help="also measure with Accept-Encoding: gzip")
    parser.add_argument("--before", type=Path, help="a checkout of the code to compare with")
    parser.add_argument("--before-port", type=int, default=8113)
    args = parser.parse_args()
    require_tools()

    env = environment(cached=True)
    ensure_demo_data(env)
    app = serve(env, args.port, args.workers, "gthread", args.threads)
    before = args.before and serve(
        env, args.before_port, args.workers, "gthread", args.threads, root=args.before
    )
    root = Path(tempfile.mkdtemp(prefix="abi-ceiling-"))
    root.chmod(0o755)  # nginx's workers run as another user (www-data)
    nginx = None
    try:
        app_url, nginx_url = (
            f"http://127.0.0.1:{args.port}{PATH}",
            f"http://127.0.0.1:{args.nginx_port}{PATH}",
        )
        before_url = f"http://127.0.0.1:{args.before_port}{PATH}"
        fetch(app_url, False)
        html, headers = fetch(app_url, False)  # now from the cache
        if before:
            fetch(before_url, False)
            theirs = fetch(before_url, False)[0].replace(b":%d/" % args.before_port, b":%d/" % args.port)
            assert theirs == html, "before and after send the same page (absolute links aside)"
        nginx = start_nginx(root, args.nginx_port, args.workers, html)
        served, _ = fetch(nginx_url, False)
        assert served == html, "nginx serves the very bytes the app sends"
        print(
            f"Narva's page {PATH}: {len(html)} bytes ({len(gzip.compress(html))} gzipped); "
            f"app: gunicorn {args.workers} gthread workers × {args.threads} threads, response cache on; "
            f"nginx: {args.workers} workers, the same bytes from a file; wrk {args.connections} connections, "
            f"{args.seconds} s per run, alternating; load average {os.getloadavg()[0]:.1f} at the start"
        )
        modes = [False, True] if args.gzip else [False]
        servers = [("before", before_url)] if before else []
        servers.append(("app", app_url))
        columns = [(f"{name} req/s", 13) for name, _ in servers] + [("nginx req/s", 13)]
        columns += [(f"{name}/nginx", 13) for name, _ in servers] + [("app p50 ms", 12)]
        print(f"{'round':<7}{'encoding':<10}" + "".join(f"{name:>{width}}" for name, width in columns))
        for number in range(1, args.rounds + 1):
            for gzipped in modes:
                header = ["-H", "Accept-Encoding: gzip"] if gzipped else []
                results = []
                for _, url in servers:
                    run_wrk(url, 2, 2, header)  # warm both workers
                    results.append(run_wrk(url, args.connections, args.seconds, header))
                ceiling = run_wrk(nginx_url, args.connections, args.seconds, header)
                assert all(r["errors"] == 0 for r in [*results, ceiling]), (results, ceiling)
                cells = [f"{r['req_s']:>13.0f}" for r in results] + [f"{ceiling['req_s']:>13.0f}"]
                cells += [f"{r['req_s'] / ceiling['req_s']:>13.1%}" for r in results]
                print(
                    f"{number:<7}{'gzip' if gzipped else 'identity':<10}"
                    + "".join(cells)
                    + f"{results[-1]['p50_ms']:>12.1f}"
                )
        cache = headers.get("X-Cache", "-")
        print(f"load average {os.getloadavg()[0]:.1f} at the end; X-Cache of the app: {cache}")
    finally:
        if nginx is not None:
            nginx.send_signal(signal.SIGQUIT)
            nginx.wait(timeout=30)
        for server in (app, before):
            if server:
                server.send_signal(signal.SIGTERM)
                server.wait(timeout=30)
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
