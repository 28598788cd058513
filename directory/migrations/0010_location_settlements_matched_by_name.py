"""The free-text settlement of each service location becomes the settlement of that name in
its municipality ("Kose alevik", or "Kose" for the settlement "Kose alevik"); a text that
matches none leaves the settlement empty, for the KOV's editors to choose."""

from django.db import migrations

from directory.models.places import bare_settlement_name


def _key(text: str) -> str:
    return " ".join(text.casefold().split())


def match_settlements(apps, schema_editor):
    ServiceLocation = apps.get_model("directory", "ServiceLocation")
    Settlement = apps.get_model("directory", "Settlement")
    by_municipality: dict[int, dict[str, int]] = {}
    for location in ServiceLocation.objects.exclude(settlement_text=""):
        names = by_municipality.get(location.municipality_id)
        if names is None:
            names = {}
            for pk, name, kind in Settlement.objects.filter(
                municipality_id=location.municipality_id
            ).values_list("pk", "name", "kind"):
                names.setdefault(_key(bare_settlement_name(name, kind)), pk)
            for pk, name in Settlement.objects.filter(municipality_id=location.municipality_id).values_list(
                "pk", "name"
            ):
                names[_key(name)] = pk  # the full name wins over a bare one
            by_municipality[location.municipality_id] = names
        found = names.get(_key(location.settlement_text))
        if found:
            ServiceLocation.objects.filter(pk=location.pk).update(settlement_id=found)


def back_to_text(apps, schema_editor):
    ServiceLocation = apps.get_model("directory", "ServiceLocation")
    for location in ServiceLocation.objects.exclude(settlement=None).select_related("settlement"):
        ServiceLocation.objects.filter(pk=location.pk).update(settlement_text=location.settlement.name)


class Migration(migrations.Migration):
    dependencies = [("directory", "0009_location_settlement_as_a_settlement")]

    operations = [migrations.RunPython(match_settlements, back_to_text)]
