from wagtail.snippets.models import register_snippet

from .viewsets import ReferralsGroup

register_snippet(ReferralsGroup)
