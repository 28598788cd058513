from django.urls import path

from . import views
from .refusal import refuse_with_403

app_name = "publishing"

_urlpatterns = [
    path("search/", views.SearchView.as_view(), name="search"),
    path("review/", views.ReviewQueueView.as_view(), name="review"),
    path("review/decide/", views.approve_selected, name="approve_selected"),
    path("offers/<int:pk>/new-price/", views.NewPriceView.as_view(), name="new_price"),
    path("prices/<int:pk>/correct/", views.CorrectPriceView.as_view(), name="correct_price"),
    path("price-list/", views.PriceListView.as_view(), name="price_list"),
    path("price-list/<slug:code>.<str:fmt>", views.export_price_list, name="export"),
    path("uploads/<int:pk>/", views.ImportPreviewView.as_view(), name="import_preview"),
    path("stale/", views.StaleReportView.as_view(), name="stale"),
    path("translations/", views.TranslationQueueView.as_view(), name="translations"),
    path("translations/<int:pk>/confirm/", views.confirm_translation, name="confirm_translation"),
    path("changes/", views.ChangeLogView.as_view(), name="changes"),
    path("overview/", views.OverviewView.as_view(), name="overview"),
    path("entries/<str:model_key>/<int:pk>/<str:action>/", views.workflow_action, name="action"),
]

# Another KOV's data is refused with a 403 page, not Wagtail's redirect to the dashboard.
urlpatterns = [path(str(p.pattern), refuse_with_403(p.callback), name=p.name) for p in _urlpatterns]
