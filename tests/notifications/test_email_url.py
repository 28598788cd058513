"""EMAIL_URL configures Django's e-mail settings."""

import pytest

from notifications.email_url import email_settings


def test_smtp_with_starttls_on_the_submission_port():
    settings = email_settings("smtp://teavitus%40kov.ee:p%C3%A4ss@smtp.example.ee:587")
    assert settings == {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "smtp.example.ee",
        "EMAIL_PORT": 587,
        "EMAIL_HOST_USER": "teavitus@kov.ee",
        "EMAIL_HOST_PASSWORD": "päss",
        "EMAIL_USE_SSL": False,
        "EMAIL_USE_TLS": True,
    }


def test_smtps_is_implicit_tls_and_a_plain_relay_has_neither():
    assert email_settings("smtps://smtp.example.ee")["EMAIL_PORT"] == 465
    assert email_settings("smtps://smtp.example.ee")["EMAIL_USE_SSL"] is True
    relay = email_settings("smtp://relay")
    assert (relay["EMAIL_PORT"], relay["EMAIL_USE_TLS"], relay["EMAIL_USE_SSL"]) == (25, False, False)


def test_console_in_development_and_unknown_schemes_refused():
    assert email_settings("console://")["EMAIL_BACKEND"].endswith("console.EmailBackend")
    with pytest.raises(ValueError, match="unknown scheme"):
        email_settings("sendmail://localhost")
