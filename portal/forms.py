"""Query-string forms of the public pages. Bad values get a message in the reader's language
and the page falls back to its defaults — never an error 500."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from directory import places_lookup
from directory.models import County, Municipality

from .errors import FormError, error_summary
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

    def error_summary(self) -> list[FormError]:
        """The county links to its <select> (components/offer_table.html); the sort is hidden."""
        return error_summary(self, anchors={"county": "filter-county", "sort": ""})

    def selected(self) -> tuple[str, County | None]:
        if self.is_valid():
            return self.cleaned_data["sort"] or DEFAULT_SORT, self.cleaned_data["county"]
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        return data.get("sort") or DEFAULT_SORT, data.get("county")


class MunicipalityChoiceForm(forms.Form):
    """The municipality chooser: a code from the <select> or a picked suggestion, or typed text
    — the name of a municipality or of any village, town or city district in it, in et, ru or
    en (`directory.places_lookup`). Typed text wins over the <select>, which without JavaScript
    still shows the remembered municipality."""

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
        self.matches: list[places_lookup.PlaceMatch] = []

    def error_summary(self, chooser_id: str) -> list[FormError]:
        """Every message links to the chooser of includes/municipality_chooser.html, whose one
        error message the select and the text box share."""
        return error_summary(self, anchors={"": chooser_id, "municipality": chooser_id, "q": chooser_id})

    def clean(self):
        data = super().clean()
        text = (data.get("q") or "").strip()
        if text:
            resolution = places_lookup.resolve(text)
            self.matches = resolution.matches
            if resolution.municipality is not None:
                data["chosen"] = resolution.municipality
            elif not self.matches:
                raise forms.ValidationError(
                    _("No place matches “%(text)s”. Please check the spelling or choose from the list.")
                    % {"text": text}
                )
            return data
        code = data.get("municipality")
        if code:
            chosen = next((m for m in self.municipalities if m.code == code), None)
            if chosen is None:
                raise forms.ValidationError(
                    _("We do not know that municipality. Please choose one from the list.")
                )
            data["chosen"] = chosen
        return data


def chosen_municipality(request, municipalities: list[Municipality]):
    """The municipality a page is about: chosen in its own chooser (?municipality= or ?q=),
    else the remembered one. Returns (form, municipality or None, whether it came from the cookie)."""
    from .choice import remembered_municipality

    from_cookie = "municipality" not in request.GET and "q" not in request.GET
    form = MunicipalityChoiceForm(None if from_cookie else request.GET, municipalities=municipalities)
    if from_cookie:
        return form, remembered_municipality(request), True
    return form, (form.cleaned_data.get("chosen") if form.is_valid() else None), False


def municipality_choices(municipalities: list[Municipality]):
    """Municipalities grouped by county, for <optgroup>s: [(county, [municipality, …]), …]."""
    groups: dict[int, tuple[County, list[Municipality]]] = {}
    for municipality in municipalities:
        groups.setdefault(municipality.county_id, (municipality.county, []))[1].append(municipality)
    return sorted(groups.values(), key=lambda group: group[0].name)
