from wagtail import hooks

from .admin_views import report_viewset


@hooks.register("register_admin_viewset")
def register_report_viewset():
    return report_viewset
