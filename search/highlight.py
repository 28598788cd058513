"""Snippets and <mark> highlights: which words of a text matched the query's terms."""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .analysis import fold, terms_of_word, word_spans

SNIPPET_LENGTH = 220


def _matches(word: str, terms: set[str]) -> bool:
    if terms_of_word(word) & terms:
        return True
    # A part of a compound: "tugiisik" in "Tugiisikuteenus".
    folded = fold(word)
    return any(len(term) >= 5 and term in folded for term in terms)


def matched_spans(text: str, terms: set[str]) -> list[tuple[int, int]]:
    if not terms:
        return []
    return [(start, end) for start, end, word in word_spans(text) if _matches(word, terms)]


def snippet(text: str, terms: set[str], length: int = SNIPPET_LENGTH) -> str:
    """About `length` characters of the text, starting near the first matching word."""
    text = " ".join(text.split())
    if len(text) <= length:
        return text
    # Only the first matching word decides where the snippet starts.
    first = (
        next((start for start, _end, word in word_spans(text) if _matches(word, terms)), 0) if terms else 0
    )
    start = 0
    if first > length // 2:
        start = text.rfind(" ", 0, first - length // 4) + 1
    end = text.rfind(" ", start, start + length)
    end = end if end > start else start + length
    return ("… " if start else "") + text[start:end].strip() + " …"


def highlight(text: str, terms: set[str]) -> SafeString:
    """The text, escaped, with each matching word wrapped in <mark>."""
    out, last = [], 0
    for start, end in matched_spans(text, terms):
        out.append(escape(text[last:start]))
        out.append(f"<mark>{escape(text[start:end])}</mark>")
        last = end
    out.append(escape(text[last:]))
    return mark_safe("".join(out))  # noqa: S308 - every piece is escaped above
