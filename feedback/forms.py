from django import forms
from django.utils.translation import gettext_lazy as _

from . import protection
from .models import Report


class ReportForm(forms.ModelForm):
    # Hidden from people by the stylesheet; anything typed here marks the sender as a bot.
    website = forms.CharField(label=_("Leave this field empty"), required=False)
    started = forms.CharField(widget=forms.HiddenInput)

    class Meta:
        model = Report
        fields = ["message", "email"]
        labels = {
            "message": _("What is wrong, and what would be right?"),
            "email": _("Your e-mail address (optional)"),
        }
        help_texts = {
            "message": _(
                "For example: the price changed on 1 January, or the phone number is out of date. "
                "Please do not write about your health or other personal matters."
            ),
            "email": _("Only if you would like an answer. We use it for nothing else."),
        }
        widgets = {"message": forms.Textarea(attrs={"rows": 6, "maxlength": 2000, "minlength": 10})}
        error_messages = {
            "message": {"required": _("Please tell us what is wrong.")},
            "email": {
                "invalid": _("Please enter an e-mail address like name@example.ee, or leave it empty.")
            },
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["started"] = protection.started_token()
        # Django ties the hint and, after a bad submit, the field's own error to the field
        # (aria-describedby="id_email_helptext id_email_error").
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["website"].widget.attrs.update({"autocomplete": "off", "tabindex": "-1"})
        self.is_spam = False

    def clean_message(self):
        message = self.cleaned_data["message"].strip()
        if len(message) < 10:
            raise forms.ValidationError(
                _("Please describe the mistake in a few words (at least 10 characters).")
            )
        return message

    def clean(self):
        data = super().clean()
        try:
            elapsed = protection.seconds_since_started(self.data.get("started", ""))
        except protection.StaleForm:
            self.data = self.data.copy()
            self.data["started"] = protection.started_token()
            raise forms.ValidationError(
                _("The form was open for too long or was damaged. Please check your text and send it again.")
            ) from None
        if data.get("website") or elapsed < protection.min_fill_seconds():
            self.is_spam = True
        elif not self.errors and not protection.first_use(self.data.get("started", "")):
            self.is_spam = True  # the same form sent again: stored once
        return data
