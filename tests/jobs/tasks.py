"""Jobs the runner's tests enqueue (a job must be importable by its path)."""

import time
from pathlib import Path

from jobs.runner import job

FAILURES: dict[str, int] = {}


@job(attempts=3, backoff=60)
def flaky(name: str, failures: int) -> str:
    """Fails `failures` times (counted in this process), then succeeds."""
    FAILURES[name] = FAILURES.get(name, 0) + 1
    if FAILURES[name] <= failures:
        raise ConnectionError(f"{name}: attempt {FAILURES[name]} failed")
    return f"{name} ok"


@job(attempts=3, backoff=0)
def slow(folder: str, seconds: float) -> str:
    """Marks its start, works for `seconds`, then marks that it finished."""
    folder = Path(folder)
    (folder / "started").write_text("1")
    time.sleep(seconds)
    (folder / "done").write_text(str(int((folder / "done").exists()) + 1))
    return "done"
