"""EMAIL_URL → Django's e-mail settings (imported by the settings; no Django imports here)."""

from urllib.parse import parse_qs, unquote, urlsplit

BACKENDS = {
    "console": "django.core.mail.backends.console.EmailBackend",
    "locmem": "django.core.mail.backends.locmem.EmailBackend",
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
    "smtps": "django.core.mail.backends.smtp.EmailBackend",
}


def email_settings(url: str) -> dict:
    """`smtp://user:pass@host:587` (STARTTLS when the port is 587 or `?tls=1`), `smtps://…`
    (implicit TLS), `console://`, `locmem://`. Unknown schemes are an error."""
    parts = urlsplit(url)
    if parts.scheme not in BACKENDS:
        raise ValueError(f"EMAIL_URL: unknown scheme {parts.scheme!r} (smtp, smtps, console, locmem)")
    result = {"EMAIL_BACKEND": BACKENDS[parts.scheme]}
    if parts.scheme in ("smtp", "smtps"):
        query = parse_qs(parts.query)
        port = parts.port or (465 if parts.scheme == "smtps" else 25)
        result.update(
            EMAIL_HOST=parts.hostname or "localhost",
            EMAIL_PORT=port,
            EMAIL_HOST_USER=unquote(parts.username or ""),
            EMAIL_HOST_PASSWORD=unquote(parts.password or ""),
            EMAIL_USE_SSL=parts.scheme == "smtps",
            EMAIL_USE_TLS=parts.scheme == "smtp" and (port == 587 or query.get("tls") == ["1"]),
        )
    return result
