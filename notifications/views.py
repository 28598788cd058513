"""The staff's e-mail preferences (admin), the page each "still correct" link opens (admin),
and the one-click unsubscribe (public: the signed token is the authorisation)."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core import signing
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from django.views.generic import FormView, TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from directory.models import ContactPerson, Offer
from publishing import scope
from publishing.viewsets import edit_url

from .forms import PreferencesForm
from .mail import language_of, read_unsubscribe_token
from .models import Frequency, Kind, Preference

VERIFIABLE = {"offer": (Offer, "offer"), "contactperson": (ContactPerson, "contact")}


class PreferencesView(WagtailAdminTemplateMixin, FormView):
    template_name = "notifications/preferences.html"
    page_title = gettext_lazy("E-mail notifications")
    header_icon = "mail"
    form_class = PreferencesForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form):
        form.save()
        messages.success(self.request, _("Your e-mail choices were saved."))
        return redirect("notifications_admin:preferences")


class VerifyView(WagtailAdminTemplateMixin, TemplateView):
    """The page a "still correct" link in the monthly reminder opens: the entry and one button
    (a POST to the workflow's verify step, which checks the editor's scope again)."""

    template_name = "notifications/verify.html"
    page_title = gettext_lazy("Still correct?")
    header_icon = "tick"

    def get_context_data(self, **kwargs):
        model_key = kwargs["model_key"]
        if model_key not in VERIFIABLE:
            raise Http404
        model, action_key = VERIFIABLE[model_key]
        obj = get_object_or_404(scope.editable_queryset(model, self.request.user), pk=kwargs["pk"])
        return super().get_context_data(entry=obj, action_key=action_key, edit_url=edit_url(obj), **kwargs)


@csrf_exempt  # the signed token authorises it; mail clients POST here (RFC 8058 one-click)
def unsubscribe(request, token: str):
    try:
        user_id, kinds = read_unsubscribe_token(token)
    except signing.BadSignature:
        raise Http404 from None
    user = get_object_or_404(get_user_model(), pk=user_id)
    if not kinds or not set(kinds) <= set(Kind.values):
        raise Http404
    with translation.override(language_of(user)):
        done = request.method == "POST"
        if done:
            for kind in kinds:
                Preference.objects.update_or_create(
                    user=user, kind=kind, defaults={"frequency": Frequency.OFF}
                )
        return render(
            request,
            "notifications/unsubscribe.html",
            {"labels": [Kind(k).label for k in kinds], "done": done, "language": translation.get_language()},
        )
