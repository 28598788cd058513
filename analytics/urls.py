from django.urls import path

from referrals.views import route_analytics

from . import views

app_name = "analytics"

urlpatterns = [
    path("", views.index, name="index"),
    path("coverage/", views.coverage_page, name="coverage"),
    path("coverage.csv", views.coverage_csv, name="coverage-csv"),
    path("prices/", views.prices_page, name="prices"),
    path("prices.csv", views.prices_csv, name="prices-csv"),
    path("completeness/", views.completeness_page, name="completeness"),
    path("completeness.csv", views.completeness_csv, name="completeness-csv"),
    path("budget/", views.budget_page, name="budget"),
    path("budget.csv", views.budget_csv, name="budget-csv"),
    path("places/", views.places_page, name="places"),
    path("places.csv", views.places_csv, name="places-csv"),
    path("referral-routes/", route_analytics, name="referral-routes"),
]
