"""Unmet needs: what people searched for and did not find.

The search app logs every search without personal data (search.models.SearchLog). A search is
*unmet* when it found nothing (zero results) or nothing that matched well (a poor result, best
score below SearchLog.POOR_SCORE). Searches are grouped by what they mean rather than how they
were typed: a group is the language plus the query's content words, folded and stemmed by the
search app's own analysis (search/analysis.py), in alphabetical order — so "hooldekodu",
"Hooldekodusse" and "hooldekodud" are one need, and so are "сиделка для мамы" and "сиделку
мамы".

The report is computed for a *scope*: the municipalities whose searches may be shown, and
whether searches made without choosing a municipality are included. Who gets which scope is
the caller's decision (the admin view asks publishing.scope; the public API shows every
municipality but only aggregated, see `public_groups`).

Counts are searches, not people: the log keeps no identity, so one person repeating a search
counts each time."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from directory.models import Municipality
from search.analysis import fold, phrase_key
from search.models import SearchLog

DEFAULT_PERIOD_DAYS = 90

ZERO = "zero"
POOR = "poor"
OUTCOME_LABELS = {ZERO: _("no results"), POOR: _("only poor results")}

# A group of searches is published (public API) only when at least this many searches, on at
# least this many different days, fall into it — and only query texts typed that often are
# shown. See docs/ARCHITECTURE.md (analytics, unmet needs).
PUBLIC_MIN_SEARCHES = 3
PUBLIC_MIN_DAYS = 2


def default_period(today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """The last 90 days, today included."""
    today = today or timezone.localdate()
    return today - dt.timedelta(days=DEFAULT_PERIOD_DAYS - 1), today


@lru_cache(maxsize=50_000)
def group_key(query: str, lang: str) -> str:
    """What a query means for grouping: its stemmed, folded content words, sorted. A query of
    stop words only ("ja", "и") keeps its folded text."""
    words = sorted(set(phrase_key(query, lang).split()))
    return " ".join(words) or fold(query).strip()


@dataclass
class Variant:
    """One way the need was typed, and how often."""

    query: str
    count: int


@dataclass
class Place:
    """Where the searches of a group were made; municipality None = none was chosen."""

    municipality: Municipality | None
    count: int

    @property
    def code(self) -> str:
        return self.municipality.code if self.municipality else ""


@dataclass
class NeedGroup:
    key: str
    lang: str
    count: int = 0
    zero: int = 0
    first_day: dt.date | None = None
    last_day: dt.date | None = None
    days: set[dt.date] = field(default_factory=set)
    variants: list[Variant] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)

    @property
    def poor(self) -> int:
        """Searches that found something, but nothing that matched well."""
        return self.count - self.zero

    @property
    def label(self) -> str:
        """The most common way the need was typed."""
        return self.variants[0].query if self.variants else self.key


@dataclass
class MunicipalitySummary:
    """All searches made for one municipality (None: none chosen) and how many went unmet."""

    municipality: Municipality | None
    searches: int = 0
    unmet: int = 0
    zero: int = 0
    groups: int = 0

    @property
    def code(self) -> str:
        return self.municipality.code if self.municipality else ""

    @property
    def share(self) -> float:
        return self.unmet / self.searches if self.searches else 0.0


@dataclass
class UnmetReport:
    date_from: dt.date
    date_to: dt.date
    includes_unscoped: bool
    searches: int
    groups: list[NeedGroup]
    by_municipality: list[MunicipalitySummary]

    @property
    def unmet(self) -> int:
        return sum(g.count for g in self.groups)

    @property
    def zero(self) -> int:
        return sum(g.zero for g in self.groups)


def _outcome_filter(outcome: str) -> Q:
    if outcome == ZERO:
        return Q(result_count=0)
    if outcome == POOR:
        return Q(result_count__gt=0, top_score__lt=SearchLog.POOR_SCORE)
    return Q(result_count=0) | Q(top_score__lt=SearchLog.POOR_SCORE)


def unmet_needs(
    *,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    municipalities: QuerySet[Municipality] | None = None,
    include_unscoped: bool = True,
    lang: str = "",
    outcome: str = "",
) -> UnmetReport:
    """Unmet searches in the period, grouped by need, most frequent first.

    `municipalities` limits the searches to those made for these KOVs (None: every KOV);
    `include_unscoped` adds the searches made without choosing a municipality. `outcome` is
    "zero", "poor" or "" for both. Runs three queries whatever the size of the log: the log is
    first aggregated per query text, language, municipality and day in the database."""
    default_from, default_to = default_period()
    date_from, date_to = date_from or default_from, date_to or default_to
    if municipalities is None:
        where = ~Q(municipality="")
    else:
        where = Q(municipality__in=municipalities.values("code"))
    if include_unscoped:
        where |= Q(municipality="")
    logs = SearchLog.objects.filter(where, created_on__gte=date_from, created_on__lte=date_to)
    if lang:
        logs = logs.filter(lang=lang)

    searches_by_code = dict(
        logs.order_by().values_list("municipality").annotate(n=Count("id")).values_list("municipality", "n")
    )
    rows = list(
        logs.filter(_outcome_filter(outcome))
        .order_by()
        .values("query", "lang", "municipality", "created_on")
        .annotate(n=Count("id"), zero=Count("id", filter=Q(result_count=0)))
    )

    groups: dict[tuple[str, str], NeedGroup] = {}
    variants: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    places: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    zero_by_code: dict[str, int] = defaultdict(int)
    for row in rows:
        key = (row["lang"], group_key(row["query"], row["lang"]))
        group = groups.get(key)
        if group is None:
            group = groups[key] = NeedGroup(key=key[1], lang=row["lang"])
        day = row["created_on"]
        group.count += row["n"]
        group.zero += row["zero"]
        group.days.add(day)
        group.first_day = min(group.first_day or day, day)
        group.last_day = max(group.last_day or day, day)
        variants[key][row["query"]] += row["n"]
        places[key][row["municipality"]] += row["n"]
        zero_by_code[row["municipality"]] += row["zero"]

    codes = set(searches_by_code) - {""}
    kovs = {m.code: m for m in Municipality.objects.filter(code__in=codes).select_related("county")}
    summaries: dict[str, MunicipalitySummary] = {
        code: MunicipalitySummary(kovs.get(code), searches=n, zero=zero_by_code[code])
        for code, n in searches_by_code.items()
        if code == "" or code in kovs
    }
    for key, group in groups.items():
        group.variants = sorted(
            (Variant(q, n) for q, n in variants[key].items()), key=lambda v: (-v.count, len(v.query), v.query)
        )
        group.places = sorted(
            (Place(kovs.get(code), n) for code, n in places[key].items() if code == "" or code in kovs),
            key=lambda p: (-p.count, p.municipality is None, p.municipality.name if p.municipality else ""),
        )
        for place in group.places:
            summary = summaries[place.code]
            summary.unmet += place.count
            summary.groups += 1

    ordered = sorted(groups.values(), key=lambda g: (-g.count, -g.last_day.toordinal(), g.label))
    by_municipality = sorted(
        summaries.values(),
        key=lambda s: (-s.unmet, s.municipality is None, s.municipality.name if s.municipality else ""),
    )
    return UnmetReport(
        date_from=date_from,
        date_to=date_to,
        includes_unscoped=include_unscoped,
        searches=sum(searches_by_code.values()),
        groups=ordered,
        by_municipality=by_municipality,
    )


# -- what may be published ------------------------------------------------------------------


@dataclass
class PublicGroup:
    """A need as the public API shows it: only query texts typed at least
    PUBLIC_MIN_SEARCHES times, and municipalities with at least that many searches in the
    group; the rest is a count."""

    group: NeedGroup
    queries: list[Variant]
    places: list[Place]
    other_places: int


def public_groups(report: UnmetReport) -> tuple[list[PublicGroup], int]:
    """The groups that may be published, and how many were withheld.

    A group is published when it holds at least PUBLIC_MIN_SEARCHES searches made on at least
    PUBLIC_MIN_DAYS different days, and at least one of its query texts was itself typed
    PUBLIC_MIN_SEARCHES times (only such texts are shown). The day rule exists because the log
    cannot tell people apart: three searches on one day may well be one person."""
    published, withheld = [], 0
    for group in report.groups:
        queries = [v for v in group.variants if v.count >= PUBLIC_MIN_SEARCHES]
        if group.count < PUBLIC_MIN_SEARCHES or len(group.days) < PUBLIC_MIN_DAYS or not queries:
            withheld += 1
            continue
        places = [p for p in group.places if p.municipality is not None and p.count >= PUBLIC_MIN_SEARCHES]
        published.append(
            PublicGroup(group, queries, places, other_places=group.count - sum(p.count for p in places))
        )
    return published, withheld
