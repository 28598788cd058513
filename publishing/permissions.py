"""Groups and permissions for KOV staff, created idempotently by `setup_kov_permissions`.

Django model permissions only open the admin's menus; which rows a user may touch is decided
by publishing.scope from the group names. No group gets a delete permission: published
entries are history, and drafts are discarded through the workflow."""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.db import transaction

from directory.models import County, Municipality

from .scope import (
    coordinator_group_name,
    county_moderator_group_name,
    editor_group_name,
    moderator_group_name,
)

# Where and how to get the help (directory.models.access), edited like offers.
ACCESS_MODELS = ("servicelocation", "eligibility", "servicearea", "howtoapply", "availability")
EDIT_PERMISSIONS = [
    ("directory", "offer", ("view", "add", "change")),
    ("directory", "price", ("view", "add", "change")),
    ("directory", "contactperson", ("view", "add", "change")),
    ("directory", "provider", ("view", "add", "change")),
    *(("directory", name, ("view", "add", "change")) for name in ACCESS_MODELS),
    ("referrals", "referralroute", ("view", "add", "change")),
    ("referrals", "cooperation", ("view", "add", "change")),
    ("referrals", "partnerinstitution", ("view", "add", "change")),
]
VIEW_PERMISSIONS = [
    ("directory", "offer", ("view",)),
    ("directory", "price", ("view",)),
    ("directory", "contactperson", ("view",)),
    ("directory", "provider", ("view",)),
    *(("directory", name, ("view",)) for name in ACCESS_MODELS),
    ("referrals", "referralroute", ("view",)),
    ("referrals", "cooperation", ("view",)),
    ("referrals", "partnerinstitution", ("view",)),
]


def _permissions(spec) -> list[Permission]:
    codenames = [(app, f"{action}_{model}") for app, model, actions in spec for action in actions]
    found = list(
        Permission.objects.filter(
            content_type__app_label__in={a for a, _ in codenames},
            codename__in={c for _, c in codenames},
        )
    )
    found.append(Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"))
    return found


def _sync(name: str, permissions: list[Permission]) -> bool:
    group, created = Group.objects.get_or_create(name=name)
    group.permissions.set(permissions)
    return created


@transaction.atomic
def setup_kov_permissions() -> dict[str, int]:
    editing = _permissions(EDIT_PERMISSIONS)
    viewing = _permissions(VIEW_PERMISSIONS)
    created = 0
    for municipality in Municipality.objects.all():
        created += _sync(editor_group_name(municipality.code), editing)
        created += _sync(moderator_group_name(municipality.code), editing)
    for county in County.objects.all():
        created += _sync(coordinator_group_name(county.code), viewing)
        created += _sync(county_moderator_group_name(county.code), viewing)
    return {"groups_created": created, "groups": Group.objects.count()}
