"""/<lang>/professionals/: the agreed referral routes and the family leaflets."""

from django.urls import path

from . import views

app_name = "referrals"

urlpatterns = [
    path("", views.professionals, name="professionals"),
    path("routes/<int:pk>/leaflet/", views.leaflet, name="leaflet"),
]
