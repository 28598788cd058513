"""Fixed pages mounted under each language prefix (/et/about/, /ru/privacy/ …)."""

from django.urls import path

from . import views

app_name = "info"

urlpatterns = [
    path("about/", views.InfoPage.as_view(template_name="info/about.html"), name="about"),
    path(
        "accessibility/",
        views.InfoPage.as_view(template_name="info/accessibility.html"),
        name="accessibility",
    ),
    path("privacy/", views.InfoPage.as_view(template_name="info/privacy.html"), name="privacy"),
    path("contact/", views.InfoPage.as_view(template_name="info/contact.html"), name="contact"),
]
