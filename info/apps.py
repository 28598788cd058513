from django.apps import AppConfig


class InfoConfig(AppConfig):
    """What a public-sector site must carry: about, accessibility statement, privacy notice,
    contact and help. Fixed pages whose texts live in templates with et/ru/en translations."""

    name = "info"
    verbose_name = "Site information pages"
