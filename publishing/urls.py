from django.urls import path

from . import views

app_name = "publishing"

urlpatterns = [
    path("review/", views.ReviewQueueView.as_view(), name="review"),
    path("review/decide/", views.approve_selected, name="approve_selected"),
    path("<str:model_key>/<int:pk>/<str:action>/", views.workflow_action, name="action"),
    path("offers/<int:pk>/new-price/", views.NewPriceView.as_view(), name="new_price"),
    path("price-list/", views.PriceListView.as_view(), name="price_list"),
    path("price-list/<slug:code>.<str:fmt>", views.export_price_list, name="export"),
    path("uploads/<int:pk>/", views.ImportPreviewView.as_view(), name="import_preview"),
    path("stale/", views.StaleReportView.as_view(), name="stale"),
    path("translations/", views.TranslationQueueView.as_view(), name="translations"),
    path("translations/<int:pk>/confirm/", views.confirm_translation, name="confirm_translation"),
    path("changes/", views.ChangeLogView.as_view(), name="changes"),
    path("overview/", views.OverviewView.as_view(), name="overview"),
]
