app_name = "analytics"
urlpatterns = []
