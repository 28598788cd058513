"""Numbers, dates and names as each language writes them — one mechanism (directory.l10n and
the portal_tags filters), tested per language."""

import datetime as dt
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from directory import l10n
from directory.models.places import sort_name

EXPECTED = {"et": "4,16\u00a0€", "ru": "4,16\u00a0€", "en": "4.16\u00a0€"}


@pytest.mark.parametrize("lang", ["et", "ru", "en"])
def test_amounts_use_the_pages_decimal_separator(lang):
    with translation.override(lang):
        assert l10n.euros(Decimal("4.16")) == EXPECTED[lang]
        assert l10n.euros(None) == "—"
        assert l10n.number(Decimal("12.5")) == ("12,50" if lang != "en" else "12.50")
        assert l10n.percent(Decimal("12.50")) == ("12,5\u00a0%" if lang != "en" else "12.5\u00a0%")
        assert l10n.client_share(Decimal("3.5"), None) == ("3,50\u00a0€" if lang != "en" else "3.50\u00a0€")
        assert l10n.client_share(None, Decimal("20")) == "20\u00a0%"
        assert l10n.client_share(None, None) == ""


@pytest.mark.parametrize("lang", ["et", "ru", "en"])
def test_template_filters_and_dates(lang):
    template = Template('{% load portal_tags %}{{ a|euros }}|{{ a|number }}|{{ d|date:"SHORT_DATE_FORMAT" }}')
    with translation.override(lang):
        text = template.render(Context({"a": Decimal("4.16"), "d": dt.date(2026, 3, 7)}))
    amount, number, day = text.split("|")
    assert amount == EXPECTED[lang]
    assert number == EXPECTED[lang].split("\u00a0")[0]
    assert day == {"et": "07.03.2026", "ru": "07.03.2026", "en": "7 Mar 2026"}[lang]


def test_chart_ticks_are_written_in_the_pages_language():
    from analytics.charts import _fmt

    with translation.override("ru"):
        assert [_fmt(v) for v in (0.0, 2.5, 10.0)] == ["0", "2,5", "10"]
    with translation.override("en"):
        assert _fmt(2.5) == "2.5"


def test_russian_municipality_names_sort_by_the_name_not_the_kind_word():
    names = ["город Нарва", "волость Алутагузе", "город Кохтла-Ярве", "волость Йыхви"]
    assert sorted(names, key=sort_name) == [
        "волость Алутагузе",
        "волость Йыхви",
        "город Кохтла-Ярве",
        "город Нарва",
    ]
