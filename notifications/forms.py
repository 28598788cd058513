from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Frequency, Kind, Preference


class PreferencesForm(forms.Form):
    """One choice per kind of e-mail: at once, in the daily digest, or never."""

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        chosen = dict(Preference.objects.filter(user=user).values_list("kind", "frequency"))
        for kind in Kind:
            self.fields[kind.value] = forms.ChoiceField(
                label=kind.label,
                choices=Frequency.choices,
                initial=chosen.get(kind.value, Frequency.IMMEDIATE),
                widget=forms.RadioSelect,
            )

    def save(self) -> None:
        for kind in Kind:
            Preference.objects.update_or_create(
                user=self.user, kind=kind.value, defaults={"frequency": self.cleaned_data[kind.value]}
            )


class UnsubscribeForm(forms.Form):
    confirm = forms.CharField(widget=forms.HiddenInput, initial="1", required=False, label=_("confirm"))
