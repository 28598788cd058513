"""A WSGI app that answers with the request headers it was given, as JSON: what the server
configuration lets through to the application (tests/ops/test_forwarded_headers.py)."""

import json


def application(environ, start_response):
    seen = {key: value for key, value in environ.items() if key.startswith("HTTP_")}
    seen["wsgi.url_scheme"] = environ["wsgi.url_scheme"]
    body = json.dumps(seen).encode()
    start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
    return [body]
