"""Staff edit the synonym dictionary in the Wagtail admin (Snippets → Search synonyms)."""

from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Synonym


class SynonymViewSet(SnippetViewSet):
    model = Synonym
    icon = "search"
    menu_label = _("Search synonyms")
    add_to_admin_menu = True
    list_display = ["__str__", "language", "note", "updated_at"]
    list_filter = ["language"]
    search_fields = ["terms", "note"]


register_snippet(SynonymViewSet)
