"""Gunicorn settings for Abiportaal: `gunicorn -c gunicorn.conf.py portal.wsgi`.

Every value can be overridden from the environment (GUNICORN_*), so one image fits any machine.

Workers: (2 × CPU cores) + 1 by default, gunicorn's own rule of thumb — while one worker waits for
the database another uses the core. Each worker runs GUNICORN_THREADS threads (gthread), which
keeps slow clients and keep-alive connections from tying up a whole process. gthread is also
what makes the response cache pay: a cached page costs well under a millisecond, less than
opening a TCP connection, and sync workers close the connection after every response
(no keep-alive); gthread keeps it open for the next request (GUNICORN_KEEPALIVE seconds).
Cached pages are answered in front of Django's request handler (ops/wsgi.py: ~0.10 ms of
CPU per gzip hit, 0.27 ms through the handler), so gunicorn's own request handling is the larger
cost: a bare WSGI app sending the same 8.6 KB under this configuration served 4 000–6 700 req/s
where nginx served 35 000–94 000, and granian 2.8.7 (Rust) 20 000–44 000 (bench/README.md,
"Public pages: the WSGI front, gunicorn or granian"). With the site, granian reached 3 900–5 500
req/s on gzip against gunicorn's 2 100–2 500, still 5–7 % of nginx, and it was not adopted: it
maps a client's `X_Forwarded_For` onto the load balancer's X-Forwarded-For (gunicorn drops the
header), has no request timeout and recycles workers by age or memory, not by request count.
The ≥ 25 % of nginx would take a cache in front of the app server, not another server.
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

# TLS ends at the load balancer. gunicorn sets the WSGI scheme from X-Forwarded-Proto only for
# these addresses; Django reads X-Forwarded-Proto (SECURE_PROXY_SSL_HEADER) and X-Forwarded-For
# (ops.client, TRUSTED_PROXY_COUNT) itself, whoever sent them, so the app servers must be reachable
# only through the load balancer (docs/DEPLOYMENT.md). Header names with underscores are dropped
# (gunicorn's header_map default): a client's X_Forwarded_For cannot stand in for X-Forwarded-For.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")

# Django writes one JSON access line per request (ops.middleware.RequestIdMiddleware), with the
# request id; gunicorn's own access log would only duplicate it.
accesslog = os.environ.get("GUNICORN_ACCESSLOG") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOGLEVEL", "info")
proc_name = "abiportaal"
