"""A real SMTP server (aiosmtpd) for the e-mail tests, and KOV staff with their languages."""

import email
import email.policy
import socket

import pytest
from aiosmtpd.controller import Controller
from wagtail.users.models import UserProfile

from tests.publishing.conftest import (  # noqa: F401 - shared fixtures
    kovs,
    narva_editor,
    narva_moderator,
    tallinn_editor,
    world,
)


class Inbox:
    """What the SMTP server received: (envelope recipients, parsed message)."""

    def __init__(self):
        self.received = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.received.append((list(envelope.rcpt_tos), message))
        return "250 Message accepted"

    def to(self, address: str) -> list:
        return [message for rcpt, message in self.received if address in rcpt]

    @property
    def recipients(self) -> set[str]:
        return {address for rcpt, _message in self.received for address in rcpt}


def text_of(message) -> str:
    return message.get_body(("plain",)).get_content()


def html_of(message) -> str:
    return message.get_body(("html",)).get_content()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class SmtpServer:
    def __init__(self):
        self.inbox = Inbox()
        self.port = _free_port()
        self.controller = None

    def start(self):
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self):
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


@pytest.fixture
def smtp(settings):
    """An SMTP server on a free local port; Django's SMTP backend sends to it."""
    server = SmtpServer()
    server.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = server.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 5
    settings.DEFAULT_FROM_EMAIL = "Abiportaal <noreply@abiportaal.example>"
    settings.EMAIL_REPLY_TO = ["tugi@abiportaal.example"]
    settings.WAGTAILADMIN_BASE_URL = "https://abiportaal.example"
    yield server
    server.stop()


def speaks(user, language: str):
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = language
    profile.save()
    return user


@pytest.fixture
def staff(kovs, narva_editor, narva_moderator, tallinn_editor):  # noqa: F811 - the imported fixtures
    """Narva's editor reads the admin in Russian, its moderator in English; Tallinn's editor
    in Estonian."""
    return {
        "editor": speaks(narva_editor, "ru"),
        "moderator": speaks(narva_moderator, "en"),
        "tallinn": speaks(tallinn_editor, "et"),
    }
