"""Structured logs: one JSON object per line, each carrying the id of the request it belongs to,
so a line from gunicorn, Django and our code can be tied to one user's request."""

import contextvars
import datetime as dt
import json
import logging
import traceback

# Set by ops.middleware.RequestIdMiddleware for the duration of a request (per thread).
request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")

# Attributes every LogRecord has; anything else was passed with `extra=` and goes into the JSON.
_STANDARD_ATTRS = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime"}


class RequestIdFilter(logging.Filter):
    """Stamps every record with the current request id ("-" outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = request_id_var.get()
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": dt.datetime.fromtimestamp(record.created, tz=dt.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", request_id_var.get()),
        }
        for key, value in vars(record).items():
            # django.request attaches the request object; its repr holds the query string, which
            # may hold what a resident typed into search, so it stays out of the logs.
            if key in _STANDARD_ATTRS or key in entry or key == "request" or key.startswith("_"):
                continue
            entry[key] = value if isinstance(value, str | int | float | bool | None) else str(value)
        if record.exc_info:
            entry["exception"] = "".join(traceback.format_exception(*record.exc_info))
        return json.dumps(entry, ensure_ascii=False)
