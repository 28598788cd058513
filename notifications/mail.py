"""Writing and sending the e-mails: in the recipient's language (their admin preference),
plain text plus HTML, with the portal's name, links to the exact admin pages and a signed
one-click unsubscribe for the message's kind (RFC 8058 List-Unsubscribe-Post)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

UNSUBSCRIBE_SALT = "notifications.unsubscribe"


@dataclass
class Item:
    """One thing a message tells about: a report, an entry awaiting approval, a stale row."""

    title: str
    details: list[str] = field(default_factory=list)
    quote: str = ""  # text a resident or moderator wrote, shown as it was typed
    links: list[tuple[str, str]] = field(default_factory=list)  # (label, absolute URL)


@dataclass
class Message:
    subject: str
    intro: str
    items: list[Item]


def absolute(path: str) -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def language_of(user) -> str:
    """The language the user chose for the admin (Account → Language), else Estonian."""
    from wagtail.users.models import UserProfile

    chosen = UserProfile.get_for_user(user).preferred_language
    codes = {code for code, _name in settings.LANGUAGES}
    return chosen if chosen in codes else settings.LANGUAGE_CODE


def unsubscribe_token(user, kinds: list[str]) -> str:
    return signing.dumps({"u": user.pk, "k": ",".join(kinds)}, salt=UNSUBSCRIBE_SALT, compress=True)


def read_unsubscribe_token(token: str) -> tuple[int, list[str]]:
    """(user id, kinds); raises signing.BadSignature for a forged or garbled token."""
    data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    return int(data["u"]), str(data["k"]).split(",")


def unsubscribe_url(user, kinds: list[str]) -> str:
    return absolute(reverse("notifications:unsubscribe", args=[unsubscribe_token(user, kinds)]))


def send(user, kinds: list[str], build, *args) -> None:
    """Write the message with `build(*args) -> Message` in the user's language and send it.
    `kinds`: what the message tells about — one kind, or those in a daily digest — each with
    its own unsubscribe link; the one-click header stops exactly these. SMTP errors propagate,
    so the job that called this is retried."""
    from .models import Kind

    language = language_of(user)
    with translation.override(language):
        message = build(*args)
        unsubscribe = unsubscribe_url(user, kinds)
        context = {
            "message": message,
            "portal": settings.WAGTAIL_SITE_NAME,
            "language": language,
            "user": user,
            "preferences_url": absolute(reverse("notifications_admin:preferences")),
            "unsubscribe_links": [(Kind(kind).label, unsubscribe_url(user, [kind])) for kind in kinds],
        }
        text = render_to_string("notifications/email/message.txt", context)
        html = render_to_string("notifications/email/message.html", context)
        subject = f"[{settings.WAGTAIL_SITE_NAME}] {message.subject}"
    _send(
        user.email,
        subject.replace("\n", " "),
        text,
        html,
        {
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Content-Language": language,
            "Auto-Submitted": "auto-generated",
        },
    )


def _send(to: str, subject: str, text: str, html: str, headers: dict) -> None:
    email = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        reply_to=settings.EMAIL_REPLY_TO or None,
        headers=headers,
    )
    email.attach_alternative(html, "text/html")
    email.send(fail_silently=False)


def send_reply(report) -> None:
    """The KOV's reply to a resident's report, in the resident's language: the reply and what
    they wrote. A resident is not staff: no preferences, no unsubscribe — one answer, asked for."""
    with translation.override(report.language):
        context = {"report": report, "portal": settings.WAGTAIL_SITE_NAME, "language": report.language}
        subject = _("%(portal)s: an answer to your report") % {"portal": settings.WAGTAIL_SITE_NAME}
        text = render_to_string("notifications/email/reply.txt", context)
        html = render_to_string("notifications/email/reply.html", context)
    _send(
        report.email,
        subject,
        text,
        html,
        {"Content-Language": report.language, "Auto-Submitted": "auto-replied"},
    )
