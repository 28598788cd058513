"""Query-string forms of the public pages. Bad values get a message in the reader's language
and the page falls back to its defaults — never an error 500."""

from __future__ import annotations

import unicodedata

from django import forms
from django.utils.translation import gettext_lazy as _

from directory.models import County, Municipality

from .listings import DEFAULT_SORT, SORTS


class OfferTableForm(forms.Form):
    """?sort= and ?county= of the "where is it offered" table."""

    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[(key, label) for key, (label, _key, _rev) in SORTS.items()],
        error_messages={"invalid_choice": _("Unknown sort order; the table is sorted by municipality.")},
    )
    county = forms.ModelChoiceField(
        label=_("County"),
        required=False,
        queryset=County.objects.all(),
        to_field_name="code",
        empty_label=_("All counties"),
        error_messages={"invalid_choice": _("Unknown county; offers in all counties are shown.")},
    )

    def selected(self) -> tuple[str, County | None]:
        if self.is_valid():
            return self.cleaned_data["sort"] or DEFAULT_SORT, self.cleaned_data["county"]
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        return data.get("sort") or DEFAULT_SORT, data.get("county")


def fold(text: str) -> str:
    """Lower-case without diacritics, so "parnu" finds Pärnu and "ыхви" finds nothing odd."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).replace("ё", "е")


def find_municipalities(text: str, municipalities: list[Municipality]) -> list[Municipality]:
    """Municipalities whose name in any language, or whose county, contains the text."""
    needle = fold(text.strip())
    if not needle:
        return []
    found = []
    for municipality in municipalities:
        names = [municipality.name_et, municipality.name_ru, municipality.name_en, municipality.code]
        if any(needle in fold(name or "") for name in names):
            found.append(municipality)
    exact = [
        m for m in found if needle in {fold(m.name_et or ""), fold(m.name_ru or ""), fold(m.name_en or "")}
    ]
    return exact if len(exact) == 1 else found


class MunicipalityChoiceForm(forms.Form):
    """The municipality chooser: a code from the <select>, or typed text when the select was
    replaced by the type-ahead box and no suggestion was picked."""

    municipality = forms.CharField(
        required=False,
        max_length=80,
        error_messages={
            "max_length": _("We do not know that municipality. Please choose one from the list.")
        },
    )
    q = forms.CharField(
        required=False,
        max_length=100,
        error_messages={"max_length": _("Please type at most 100 characters.")},
    )

    def __init__(self, *args, municipalities: list[Municipality], **kwargs):
        super().__init__(*args, **kwargs)
        self.municipalities = municipalities
        self.matches: list[Municipality] = []

    def clean(self):
        data = super().clean()
        code = data.get("municipality")
        if code:
            chosen = next((m for m in self.municipalities if m.code == code), None)
            if chosen is None:
                raise forms.ValidationError(
                    _("We do not know that municipality. Please choose one from the list.")
                )
            data["chosen"] = chosen
            return data
        text = data.get("q")
        if text:
            self.matches = find_municipalities(text, self.municipalities)
            if len(self.matches) == 1:
                data["chosen"] = self.matches[0]
            elif not self.matches:
                raise forms.ValidationError(
                    _("No municipality matches “%(text)s”. Please choose one from the list.") % {"text": text}
                )
        return data


def municipality_choices(municipalities: list[Municipality]):
    """Municipalities grouped by county, for <optgroup>s: [(county, [municipality, …]), …]."""
    groups: dict[int, tuple[County, list[Municipality]]] = {}
    for municipality in municipalities:
        groups.setdefault(municipality.county_id, (municipality.county, []))[1].append(municipality)
    return sorted(groups.values(), key=lambda group: group[0].name)
