from django.views.generic import TemplateView


class OpenDataPageView(TemplateView):
    template_name = "pages/open_data.html"
