from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

code_validator = RegexValidator(
    r"^[a-z0-9]+(?:-[a-z0-9]+)*$",
    _("A code is lower-case letters and digits joined by hyphens, e.g. respite-care."),
)

LANGUAGE_CHOICES = [
    ("et", _("Estonian")),
    ("ru", _("Russian")),
    ("en", _("English")),
    ("uk", _("Ukrainian")),
    ("fi", _("Finnish")),
    ("de", _("German")),
    ("sgn", _("Estonian Sign Language")),
]


def language_names(codes: list[str]) -> list[str]:
    """The names of spoken languages (LANGUAGE_CHOICES codes) in the active language."""
    names = dict(LANGUAGE_CHOICES)
    return [str(names.get(code, code)) for code in codes]


def tel_href(phone: str) -> str:
    """The tel: link a phone taps to call the number as it is written ("+372 5586 6507")."""
    return "tel:" + "".join(ch for ch in phone if ch.isdigit() or ch == "+")


def localized_path(*parts: str) -> str:
    """A public page's path in the active language, e.g. /ru/components/respite-care/.

    These paths are part of the public contract (links from search, the API and exports)."""
    from django.utils.translation import get_language

    return "/" + "/".join([get_language() or "et", *parts]) + "/"


class CodedQuerySet(models.QuerySet):
    def by_code(self, code: str):
        return self.get(code=code)


class CatalogueEntry(models.Model):
    """Anything in the reference catalogue: identified by a stable `code` that URLs and the API use.

    Codes are never renamed or reused; names and texts may change at any time."""

    code = models.SlugField(_("code"), max_length=80, unique=True, validators=[code_validator])

    objects = CodedQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["code"]

    def __str__(self) -> str:
        return getattr(self, "name", None) or getattr(self, "title", None) or self.code


class Timestamped(models.Model):
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True
