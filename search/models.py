"""The search index, the synonym dictionary and the query log.

SearchDocument rows are derived data: `manage.py rebuild_search_index` can recreate all of
them from the directory and the page tree at any time, and signals keep them current."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel


class Kind(models.TextChoices):
    """What a search result is; the values are part of the public API."""

    COMPONENT = "component", _("service component")
    SERVICE = "service", _("social service")
    JOURNEY = "journey", _("client journey")
    MUNICIPALITY = "municipality", _("municipality")
    CONTACT = "contact", _("contact")
    OFFER = "offer", _("offer")
    PAGE = "page", _("page")


class SearchDocument(models.Model):
    """One searchable thing — a component, a service, a journey, a municipality, a contact role
    or contact person, an offer, or a page — as the database backend indexes it.

    Titles and snippets are kept per language for display. The `*_terms` fields hold the
    analysed text of all three languages together (folded Snowball stems, see
    search/analysis.py), so a Russian query also finds an entry by its Estonian or English
    name. Field order is weight order: title, primary keywords (the first few, which name the
    thing), other keywords, body. The database backend holds the reference documents' terms in
    an inverted index in memory; no database-specific full-text index exists."""

    key = models.CharField(max_length=120, unique=True, help_text="kind:identifier")
    kind = models.CharField(max_length=20, choices=Kind.choices, db_index=True)
    code = models.CharField(max_length=120, blank=True, db_index=True)
    item_key = models.CharField(
        max_length=120, blank=True, db_index=True, help_text="An offer's component or service."
    )
    municipality = models.CharField(max_length=80, blank=True, db_index=True)
    # "scoperef" for the reference documents the backend holds in memory, a municipality's
    # token for its offers and contacts, read per query (see scope_token()).
    scope = models.CharField(max_length=90)
    county = models.CharField(max_length=80, blank=True)
    target_groups = models.CharField(max_length=600, blank=True, help_text=" code code ")
    domains = models.CharField(max_length=300, blank=True, help_text=" code code ")
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)
    title_et = models.CharField(max_length=300)
    title_ru = models.CharField(max_length=300, blank=True)
    title_en = models.CharField(max_length=300, blank=True)
    text_et = models.TextField(blank=True)
    text_ru = models.TextField(blank=True)
    text_en = models.TextField(blank=True)
    url_et = models.CharField(max_length=300)
    url_ru = models.CharField(max_length=300, blank=True)
    url_en = models.CharField(max_length=300, blank=True)
    title_terms = models.TextField(blank=True)
    primary_terms = models.TextField(blank=True)
    keyword_terms = models.TextField(blank=True)
    body_terms = models.TextField(blank=True)
    phrases = models.TextField(blank=True, help_text="Titles and keywords as phrase keys, one per line.")
    words_et = models.TextField(blank=True, help_text="Folded Estonian words, for compounds and typos.")
    words_other = models.TextField(blank=True, help_text="Folded Russian and English words, for typos.")
    boost = models.FloatField(default=1.0)
    vectors = models.BinaryField(
        null=True,
        blank=True,
        editable=False,
        help_text="Catalogue entries: the embedding model's vectors of the entry, one per language "
        "(float16, search/embedding.py).",
    )
    data = models.JSONField(default=dict, blank=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("search document")
        verbose_name_plural = _("search documents")
        indexes = [
            models.Index(fields=["kind", "municipality"]),
            # The reference documents' version is read before every query.
            models.Index(fields=["scope", "updated_at"]),
            # A municipality's offers of the best-matching entries; where an entry is offered.
            models.Index(fields=["item_key", "municipality"]),
        ]

    def __str__(self) -> str:
        return self.key

    LOCAL_KINDS = ("offer", "contact")

    @staticmethod
    def scope_token(municipality: str = "") -> str:
        """ "scoperef" for reference documents (catalogue, journeys, municipalities, roles,
        pages); "scopem<code>" for a municipality's own offers and contacts."""
        return "scopem" + municipality.replace("-", "") if municipality else "scoperef"

    def title(self, lang: str) -> str:
        return getattr(self, f"title_{lang}", "") or self.title_et

    def text(self, lang: str) -> str:
        return getattr(self, f"text_{lang}", "") or self.text_et

    def url(self, lang: str) -> str:
        return getattr(self, f"url_{lang}", "") or self.url_et


class Synonym(models.Model):
    """A group of words or phrases that mean the same to the people who search — colloquial
    words ("invatakso", "сиделка"), old official names, common misnomers. Staff edit the groups
    in the Wagtail admin (Snippets); both search backends use them."""

    language = models.CharField(_("language"), max_length=2, choices=settings.LANGUAGES)
    terms = models.TextField(
        _("words and phrases"),
        help_text=_("One word or phrase per line; a search for any of them also finds the others."),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    panels = [FieldPanel("language"), FieldPanel("terms"), FieldPanel("note")]

    class Meta:
        verbose_name = _("search synonym group")
        verbose_name_plural = _("search synonym groups")
        ordering = ["language", "terms"]

    def __str__(self) -> str:
        return f"{self.language}: " + ", ".join(self.term_list)

    @property
    def term_list(self) -> list[str]:
        lines = self.terms.replace(",", "\n").splitlines()
        return [line.strip() for line in lines if line.strip()]


class SearchLogQuerySet(models.QuerySet):
    def poor(self):
        """Searches that found nothing, or nothing that matched well (see POOR_SCORE)."""
        return self.filter(models.Q(result_count=0) | models.Q(top_score__lt=SearchLog.POOR_SCORE))


class SearchLog(models.Model):
    """One search, recorded without personal data for the unmet-needs report: the query with
    e-mail addresses, phone numbers, personal codes and all digits removed, its language, the
    municipality chosen (a code), how many results it had and how well the best one matched,
    and the day — never the time, the user or the address it came from."""

    # Scores are normalised to about 0–1.3: the share of the query's meaning a result matched,
    # weighted by field (title over body). Below 0.45 the best result matched only a minor
    # part of the query or matched it only in body text.
    POOR_SCORE = 0.45

    query = models.CharField(_("query"), max_length=200)
    lang = models.CharField(_("language"), max_length=2)
    municipality = models.CharField(_("municipality"), max_length=80, blank=True)
    result_count = models.PositiveIntegerField(_("results"))
    top_score = models.FloatField(_("best score"), null=True, blank=True)
    created_on = models.DateField(_("day"), db_index=True)

    objects = SearchLogQuerySet.as_manager()

    class Meta:
        verbose_name = _("search log entry")
        verbose_name_plural = _("search log")
        ordering = ["-created_on", "-id"]

    def __str__(self) -> str:
        return f"{self.created_on} {self.lang}: {self.query}"

    @property
    def is_poor(self) -> bool:
        return self.result_count == 0 or (self.top_score is not None and self.top_score < self.POOR_SCORE)
