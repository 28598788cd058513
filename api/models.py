"""Partner access to the API."""

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Scope(models.TextChoices):
    """What a partner token opens beyond the public API."""

    CONTACTS_PROFESSIONAL = (
        "contacts:professional",
        _("contacts:professional — professionals' direct lines and duty phones"),
    )


TOKEN_PREFIX = "abi_"  # noqa: S105  (a public marker that makes leaked tokens greppable)


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class PartnerTokenQuerySet(models.QuerySet):
    def active(self, now: dt.datetime | None = None):
        now = now or timezone.now()
        return self.filter(revoked_at__isnull=True).filter(
            models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=now)
        )

    def authenticate(self, raw: str) -> "PartnerToken | None":
        return self.active().filter(token_hash=hash_token(raw)).first()


class PartnerToken(models.Model):
    """API token of a partner institution — *partnerasutus*: a hospital, a family doctors'
    information system, the Unemployment Insurance Fund (*Töötukassa*), the police.

    The secret is shown once when the token is issued; only its SHA-256 hash is stored, so a
    database leak does not leak usable tokens. A token opens only its scopes, until it
    expires or is revoked."""

    name = models.CharField(_("partner"), max_length=200, help_text=_("Institution and system."))
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    prefix = models.CharField(_("token prefix"), max_length=16, editable=False, db_index=True)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    scopes = models.JSONField(_("scopes"), default=list, blank=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("issued"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = PartnerTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("partner API token")
        verbose_name_plural = _("partner API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @classmethod
    def issue(cls, name: str, scopes: list[str], **fields) -> tuple["PartnerToken", str]:
        """Create a token; returns it with the secret, which is never retrievable again."""
        token = cls(name=name, scopes=list(scopes), **fields)
        raw = token.set_secret()
        token.save()
        return token, raw

    def set_secret(self) -> str:
        raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
        self.prefix = raw[: len(TOKEN_PREFIX) + 6]
        self.token_hash = hash_token(raw)
        return raw

    def has_scope(self, scope: str) -> bool:
        return self.is_active and scope in self.scopes

    @property
    def is_active(self) -> bool:
        now = timezone.now()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)

    def revoke(self) -> None:
        if self.revoked_at is None:
            self.revoked_at = timezone.now()
            self.save(update_fields=["revoked_at"])

    def touch(self, every: dt.timedelta = dt.timedelta(minutes=1)) -> None:
        """Record use, at most once a minute so a busy partner does not write on every call."""
        now = timezone.now()
        if self.last_used_at is None or now - self.last_used_at >= every:
            PartnerToken.objects.filter(pk=self.pk).update(last_used_at=now)
            self.last_used_at = now


class ChangeRecord(models.Model):
    """One change to a public row of the directory — a price published, closed or corrected;
    an offer or a contact person created, updated, ended, unpublished or deleted — in the order
    the changes were committed. The changes feed reads this log.

    Database triggers on the directory's tables write a record in the same transaction as the
    change itself (api/migrations/0002_change_log.py), so no write path can skip it. `position`
    is handed out when the transaction commits, under a lock held until the commit is visible:
    a reader that sees position n has been able to see every committed position below n."""

    position = models.BigIntegerField(null=True, unique=True, editable=False)
    kind = models.CharField(max_length=10)
    object_id = models.BigIntegerField()
    offer_id = models.BigIntegerField(null=True, db_index=True)
    municipality_id = models.BigIntegerField(null=True, db_index=True)
    action = models.CharField(max_length=10)
    changed_at = models.DateTimeField()

    class Meta:
        verbose_name = _("change record")
        indexes = [models.Index(fields=["kind", "object_id", "position"], name="api_change_object_pos")]

    def __str__(self) -> str:
        return f"{self.position}: {self.kind} {self.object_id} {self.action}"


class ChangeLogHorizon(models.Model):
    """How far the change log has been pruned (one row; `manage.py prune_change_log`). Records
    that a later change to the same object supersedes never appear in the feed, so dropping
    them changes no answer; a tombstone (a deleted or unpublished object) is dropped too once
    older than the retention, and a cursor below the highest dropped one may have missed that
    deletion: the feed answers it 410 `resync`."""

    position = models.BigIntegerField(default=0)
    pruned_at = models.DateTimeField(null=True)

    class Meta:
        verbose_name = _("change log horizon")

    def __str__(self) -> str:
        return f"pruned up to {self.position}"

    @classmethod
    def current(cls) -> int:
        return cls.objects.values_list("position", flat=True).first() or 0
