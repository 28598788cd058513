from django.urls import re_path

from . import views

app_name = "feedback"

KIND = r"(?P<kind>kov|offer|contact)/(?P<ref>[a-z0-9-]{1,80})"

urlpatterns = [
    re_path(rf"^report-a-mistake/{KIND}/$", views.report, name="report"),
    re_path(rf"^report-a-mistake/{KIND}/thanks/$", views.thanks, name="thanks"),
]
