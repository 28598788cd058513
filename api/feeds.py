"""An Atom feed per municipality: new prices, changed offers and contacts, for people who
follow their KOV in a feed reader. Public fields only."""

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from directory.models import Municipality

from .changes import Change, changes

FEED_LENGTH = 50


class MunicipalityChangesFeed(Feed):
    feed_type = Atom1Feed
    author_name = "Abiportaal"  # atom:author, required by RFC 4287 on the feed or every entry

    def __call__(self, request, *args, **kwargs):
        response = super().__call__(request, *args, **kwargs)
        response["Access-Control-Allow-Origin"] = "*"  # feed readers in the browser
        return response

    def get_object(self, request, code: str) -> Municipality:
        try:
            return Municipality.objects.get(code=code)
        except Municipality.DoesNotExist:
            raise Http404(_("No municipality with code “%(value)s”.") % {"value": code}) from None

    def title(self, municipality: Municipality) -> str:
        return _("%(municipality)s: changes in social services, prices and contacts") % {
            "municipality": municipality.name
        }

    def subtitle(self, municipality: Municipality) -> str:
        return _("New prices, changed offers and contact persons published on Abiportaal.")

    def link(self, municipality: Municipality) -> str:
        return municipality.get_absolute_url()

    def items(self, municipality: Municipality) -> list[Change]:
        found = changes(municipality=municipality, limit=FEED_LENGTH, newest_first=True)
        return [change for change in found if change.obj is not None]  # tombstones are for mirrors

    def item_title(self, change: Change) -> str:
        obj = change.obj
        if change.type == "price":
            amount = obj.price_individual if obj.price_individual is not None else obj.price_group
            values = {"item": obj.offer.item.name, "amount": amount, "unit": obj.unit.name}
            if change.action == "closed" and obj.valid_to:
                return _("Price ends: %(item)s — %(amount)s € per %(unit)s until %(date)s") % {
                    **values,
                    "date": obj.valid_to.isoformat(),
                }
            return _("New price: %(item)s — %(amount)s € per %(unit)s from %(date)s") % {
                **values,
                "date": obj.valid_from.isoformat(),
            }
        if change.type == "offer":
            template = {
                "created": _("New offer: %(item)s (%(provider)s)"),
                "ended": _("Offer ends: %(item)s (%(provider)s)"),
            }.get(change.action, _("Offer updated: %(item)s (%(provider)s)"))
            return template % {"item": obj.item.name, "provider": obj.provider.name}
        template = (
            _("New contact: %(role)s — %(name)s")
            if change.action == "created"
            else _("Contact updated: %(role)s — %(name)s")
        )
        return template % {"role": obj.role.name, "name": obj.name}

    def item_description(self, change: Change) -> str:
        obj = change.obj
        if change.type == "price":
            text = _("Valid from %(start)s.") % {"start": obj.valid_from.isoformat()}
            share = obj.client_share_display
            return text + (" " + _("Client's share: %(share)s.") % {"share": share} if share else "")
        if change.type == "offer":
            if obj.valid_to:
                return _("Offered until %(end)s.") % {"end": obj.valid_to.isoformat()}
            return _("Offered from %(start)s.") % {"start": obj.valid_from.isoformat()}
        parts = [obj.job_title, obj.phone, obj.email]
        return " · ".join(part for part in parts if part)

    def item_link(self, change: Change) -> str:
        if change.type in ("price", "offer"):
            offer = change.obj.offer if change.type == "price" else change.obj
            return offer.get_absolute_url()
        contact = change.obj
        today = timezone.localdate()
        in_post = contact.valid_from <= today and (contact.valid_to is None or contact.valid_to >= today)
        # The page shows the card of a contact in post; one who has left: the contacts section.
        anchor = f"contact-{contact.pk}" if in_post else "contacts"
        return contact.municipality.get_absolute_url() + f"#{anchor}"

    def item_guid(self, change: Change) -> str:
        return f"abiportaal:{change.type}:{change.obj.pk}:{change.changed_at.isoformat()}"

    item_guid_is_permalink = False

    def item_updateddate(self, change: Change):
        return change.changed_at

    def item_pubdate(self, change: Change):
        return change.changed_at
