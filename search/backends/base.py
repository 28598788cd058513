"""The one interface every search backend implements, and the plain data it returns.

Views and signals talk to `get_backend()` only; they never ask which backend runs."""

from __future__ import annotations

import abc
from collections.abc import Iterable
from dataclasses import dataclass, field

from ..documents import IndexDocument

KINDS = ("component", "service", "journey", "municipality", "contact", "offer", "page")
FACETS = ("kind", "municipality", "county", "target_group", "domain")


@dataclass(frozen=True)
class SearchFilters:
    """Narrow a search to one municipality, county, target group, life domain or kind (codes).

    A municipality or county filter keeps catalogue entries (they apply everywhere) and
    narrows what belongs to a place — offers, contacts, municipalities — to that place."""

    municipality: str = ""
    county: str = ""
    target_group: str = ""
    domain: str = ""
    kind: str = ""


@dataclass
class SearchHit:
    key: str
    kind: str
    code: str
    title: str
    url: str
    snippet: str
    score: float
    municipality: str = ""
    data: dict = field(default_factory=dict)
    matched_terms: set[str] = field(default_factory=set)
    domains: list[str] = field(default_factory=list)
    target_groups: list[str] = field(default_factory=list)


@dataclass
class SearchResults:
    query: str
    language: str
    hits: list[SearchHit]
    total: int = 0
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    suggestion: str = ""
    municipality_hint: str = ""

    @property
    def top_score(self) -> float | None:
        return max((h.score for h in self.hits), default=None)


class SearchBackend(abc.ABC):
    """Index documents, delete them, query them; rebuild everything from the directory."""

    name: str = ""

    @abc.abstractmethod
    def index(self, documents: Iterable[IndexDocument]) -> int:
        """Add or replace documents (matched by key); returns how many were indexed."""

    @abc.abstractmethod
    def delete(self, keys: Iterable[str]) -> int:
        """Remove documents by key; unknown keys are ignored."""

    @abc.abstractmethod
    def query(
        self, text: str, language: str, filters: SearchFilters | None = None, limit: int = 10, offset: int = 0
    ) -> SearchResults:
        """Ranked results for a query in a language, best first: `limit` of them from `offset`,
        with the total and facet counts of all of them (they agree: each counts the list)."""

    @abc.abstractmethod
    def rebuild(self, stdout=None) -> dict[str, int]:
        """Index everything searchable afresh; searches keep working meanwhile."""

    @abc.abstractmethod
    def ping(self) -> bool:
        """Whether the backend answers: /readyz takes a server out of the load balancer when not."""

    def closest(self, text: str, language: str, limit: int = 3) -> list[SearchHit]:
        """Catalogue entries whose names look most like the text — for a search that found
        nothing. Backends that cannot tell return nothing."""
        return []


class NullBackend(SearchBackend):
    """Indexes nothing and finds nothing: for tests that do not search."""

    name = "null"

    def index(self, documents: Iterable[IndexDocument]) -> int:
        return len(list(documents))

    def delete(self, keys: Iterable[str]) -> int:
        return 0

    def query(self, text, language, filters=None, limit=10, offset=0) -> SearchResults:
        return SearchResults(query=text, language=language, hits=[])

    def rebuild(self, stdout=None) -> dict[str, int]:
        return {}

    def ping(self) -> bool:
        return True
