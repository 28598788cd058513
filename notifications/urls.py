from django.urls import path

from . import views

app_name = "notifications"
urlpatterns = [path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe")]

admin_urlpatterns = [
    path("preferences/", views.PreferencesView.as_view(), name="preferences"),
    path("verify/<str:model_key>/<int:pk>/", views.VerifyView.as_view(), name="verify"),
]
