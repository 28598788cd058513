"""/r/<id>/<lang>/: the short link (and QR code) on a family leaflet."""

from django.urls import path

from . import views

urlpatterns = [
    path("<int:pk>/", views.short_link, name="referral-short-link"),
    path("<int:pk>/<str:language>/", views.short_link, name="referral-short-link-language"),
]
