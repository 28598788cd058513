"""Who may see and change which KOV's data in the admin.

Rights come from Django groups named after a municipality or county code, created by
`build_site_tree` and `setup_kov_permissions`:

- "KOV editors: <municipality code>" — edit that KOV's offers, prices and contact persons,
  and the providers only that KOV uses; submit changes for approval.
- "KOV moderators: <municipality code>" — everything an editor may, and approve or reject.
- "County coordinators: <county code>" — read-only view of every KOV in the county, for the
  stale-data report and the publication overview.
- "County moderators: <county code>" — the county coordinator who approves or rejects what
  the county's KOVs submit (four eyes for a KOV with one staff member); sees the county like
  a coordinator, changes nothing herself.

Which rows of a model belong to which KOV is declared once per model in publishing.registry.
Superusers see and change everything. Every admin view and the import asks these functions;
an object outside the user's scope is answered with 404, as if it did not exist."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet

from directory.models import Municipality, Offer, Provider
from referrals.models import Cooperation, PartnerInstitution

from . import registry
from .models import PendingChange

EDITORS_PREFIX = "KOV editors: "
MODERATORS_PREFIX = "KOV moderators: "
COORDINATORS_PREFIX = "County coordinators: "
COUNTY_MODERATORS_PREFIX = "County moderators: "


def editor_group_name(code: str) -> str:
    return EDITORS_PREFIX + code


def moderator_group_name(code: str) -> str:
    return MODERATORS_PREFIX + code


def coordinator_group_name(county_code: str) -> str:
    return COORDINATORS_PREFIX + county_code


def county_moderator_group_name(county_code: str) -> str:
    return COUNTY_MODERATORS_PREFIX + county_code


def _group_codes(user, prefix: str) -> set[str]:
    cache = getattr(user, "_kov_group_names", None)
    if cache is None:
        cache = list(user.groups.values_list("name", flat=True)) if user.is_authenticated else []
        user._kov_group_names = cache
    return {name[len(prefix) :] for name in cache if name.startswith(prefix)}


def is_unrestricted(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_superuser)


def editable_municipalities(user) -> QuerySet[Municipality]:
    """The KOVs whose data the user may change (as editor or moderator)."""
    if is_unrestricted(user):
        return Municipality.objects.all()
    codes = _group_codes(user, EDITORS_PREFIX) | _group_codes(user, MODERATORS_PREFIX)
    return Municipality.objects.filter(code__in=codes)


def moderated_municipalities(user) -> QuerySet[Municipality]:
    """The KOVs whose submitted changes the user may approve."""
    if is_unrestricted(user):
        return Municipality.objects.all()
    counties = _group_codes(user, COUNTY_MODERATORS_PREFIX)
    return Municipality.objects.filter(
        Q(code__in=_group_codes(user, MODERATORS_PREFIX)) | Q(county__code__in=counties)
    )


def visible_municipalities(user) -> QuerySet[Municipality]:
    """The KOVs the user may look at: their own, and the whole county for a coordinator."""
    if is_unrestricted(user):
        return Municipality.objects.all()
    codes = _group_codes(user, EDITORS_PREFIX) | _group_codes(user, MODERATORS_PREFIX)
    counties = _group_codes(user, COORDINATORS_PREFIX) | _group_codes(user, COUNTY_MODERATORS_PREFIX)
    return Municipality.objects.filter(Q(code__in=codes) | Q(county__code__in=counties))


def can_edit_municipality(user, municipality: Municipality | None) -> bool:
    if municipality is None:
        return False
    return editable_municipalities(user).filter(pk=municipality.pk).exists()


def can_moderate_municipality(user, municipality: Municipality | None) -> bool:
    if municipality is None:
        return False
    return moderated_municipalities(user).filter(pk=municipality.pk).exists()


# -- per model ---------------------------------------------------------------------------


def offers_for(user) -> QuerySet[Offer]:
    return editable_queryset(Offer, user)


def providers_for(user) -> QuerySet[Provider]:
    """Providers the user may edit: those used only by the user's KOVs, and unused ones.

    A provider serving several KOVs (a regional NGO) is shared data: changing its details
    would change other municipalities' pages, so only an administrator edits it."""
    if is_unrestricted(user):
        return Provider.objects.all()
    mine = editable_municipalities(user)
    used_elsewhere = Offer.objects.filter(provider=OuterRef("pk")).exclude(municipality__in=mine)
    return Provider.objects.exclude(Exists(used_elsewhere))


def partners_for(user) -> QuerySet[PartnerInstitution]:
    """Partner institutions the user may edit: like providers, those only the user's KOVs
    cooperate with, and unused ones (a shared hospital is the administrator's)."""
    if is_unrestricted(user):
        return PartnerInstitution.objects.all()
    mine = editable_municipalities(user)
    elsewhere = Cooperation.objects.filter(partner=OuterRef("pk")).exclude(municipality__in=mine)
    return PartnerInstitution.objects.exclude(Exists(elsewhere))


def municipality_of(obj) -> Municipality | None:
    """The KOV an object belongs to (None for shared objects such as providers)."""
    entry = registry.get(type(obj))
    return entry.municipality_of(obj) if entry else getattr(obj, "municipality", None)


def visible_providers(user) -> QuerySet[Provider]:
    """Providers the user may see and choose: those the user's KOVs use, and unused ones."""
    if is_unrestricted(user):
        return Provider.objects.all()
    mine = visible_municipalities(user)
    used_here = Offer.objects.filter(provider=OuterRef("pk"), municipality__in=mine)
    used = Offer.objects.filter(provider=OuterRef("pk"))
    return Provider.objects.filter(Exists(used_here) | ~Exists(used))


def _pending_changes(municipalities):
    return PendingChange.objects.filter(municipality__in=municipalities)


def _scoped(model, user, municipalities) -> QuerySet:
    if model is PendingChange:
        return _pending_changes(municipalities)
    entry = registry.get(model)
    if entry is None:
        raise LookupError(f"{model.__name__} is not a KOV-scoped model")
    return entry.in_municipalities(municipalities)


def editable_queryset(model, user) -> QuerySet:
    """Rows of `model` the user may change (models in publishing.registry, and providers)."""
    if model is Provider:
        return providers_for(user)
    if model is PartnerInstitution:
        return partners_for(user)
    return _scoped(model, user, editable_municipalities(user))


def visible_queryset(model, user) -> QuerySet:
    """Rows of `model` the user may look at (a county coordinator sees the whole county)."""
    if model is Provider:
        return visible_providers(user)
    if model is PartnerInstitution:
        return PartnerInstitution.objects.all()  # the shared register: every KOV may choose from it
    return _scoped(model, user, visible_municipalities(user))


def can_edit(user, obj) -> bool:
    return editable_queryset(type(obj), user).filter(pk=obj.pk).exists()


def can_view(user, obj) -> bool:
    return visible_queryset(type(obj), user).filter(pk=obj.pk).exists()
