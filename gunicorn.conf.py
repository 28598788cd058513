"""Gunicorn settings for Abiportaal: `gunicorn -c gunicorn.conf.py portal.wsgi`.

Every value can be overridden from the environment (GUNICORN_*), so one image fits any machine.

Workers: (2 × CPU cores) + 1 by default, gunicorn's own rule of thumb — while one worker waits for
the database another uses the core. Each worker runs GUNICORN_THREADS threads (gthread), which
keeps slow clients and keep-alive connections from tying up a whole process. gthread is also
what makes the response cache pay: a cached page costs well under a millisecond, less than
opening a TCP connection, and sync workers close the connection after every response
(no keep-alive); gthread keeps it open for the next request (GUNICORN_KEEPALIVE seconds).
For cache hits (~0.12 ms of Django per page) gunicorn's own request handling is now the larger
cost: a bare WSGI app sending the same 9.5 KB under this configuration served ~8 000 req/s where
nginx served 23 000–65 000 (bench/README.md), and 1 or 4 threads measured the same; beyond that
takes a cache in front (nginx proxy_cache), not another worker class.
GUNICORN_WORKER_CLASS=sync is for comparisons only (bench/pages.py's uncached run, like the
bakerydemo reference it is measured against). Each thread holds
its own persistent database connection (DB_CONN_MAX_AGE), so one server opens up to
workers × threads connections: size PostgreSQL's max_connections (or PgBouncer) for the number of
app servers times that.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "gthread")
threads = int(os.environ.get("GUNICORN_THREADS", "4"))

# A request that takes longer than this is killed (and logged); slow exports should stream.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "5"))

# Recycle workers now and then so a slow leak cannot grow without bound; the jitter keeps them
# from all restarting at once.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", "200"))

# Load the app once before forking: less memory, and a broken configuration fails at start.
# Django opens database connections lazily, so none is shared across the fork.
preload_app = True

# Request lines of any length reach Django, which answers an address over 8 kB with 414 — under
# /api/ in the API's JSON error body (ops.middleware.UrlLengthMiddleware). gunicorn's own limit
# (at most 8190 bytes) would answer with its plain-text 400 instead. The load balancer in front
# bounds the line (docs/DEPLOYMENT.md): set its limit above 8 kB so that Django answers.
limit_request_line = int(os.environ.get("GUNICORN_LIMIT_REQUEST_LINE", "0"))

# TLS ends at the load balancer; trust its X-Forwarded-* headers only from these addresses.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")

# Django writes one JSON access line per request (ops.middleware.RequestIdMiddleware), with the
# request id; gunicorn's own access log would only duplicate it.
accesslog = os.environ.get("GUNICORN_ACCESSLOG") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOGLEVEL", "info")
proc_name = "abiportaal"
