"""Running manage.py and Python snippets in a fresh process with a given environment."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_python(code: str, env: dict, timeout: int = 120) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_", "REDIS_"))}
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def run_manage(args: list[str], env: dict, timeout: int = 120) -> subprocess.CompletedProcess:
    code = (
        "import sys; from django.core.management import execute_from_command_line; "
        f"execute_from_command_line(['manage.py', *{args!r}])"
    )
    return run_python(code, env, timeout)


def production_env(tmp_path, **extra) -> dict:
    return {
        "DJANGO_SETTINGS_MODULE": "portal.settings.production",
        "SECRET_KEY": "k7#Vq9!pX2rT$wZ4mN8sB1yC6uE3hJ5gL0aD-fR_tY@iO%oP^eW&zQ*xS(vK)nM+",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'production.sqlite3'}",
        "ALLOWED_HOSTS": "abiportaal.example",
        **extra,
    }
