"""Field values of a proposed change as JSON, and putting them back onto an entry.

A change to a published offer or contact is kept as {field name: value} (publishing.models.
PendingChange) until a moderator approves it: foreign keys as primary keys, many-to-many
fields as sorted lists of primary keys, dates as ISO strings, everything else as the model
field holds it. Inline children (modelcluster ParentalKey relations, e.g. a location's opening
hours) are a sorted list of their rows, each {field: value} as above; approving replaces them
all."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from modelcluster.fields import ParentalKey


def to_json(value):
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, models.QuerySet):
        return sorted(value.values_list("pk", flat=True))
    if isinstance(value, list | tuple | set) and value and all(isinstance(v, models.Model) for v in value):
        return sorted(v.pk for v in value)
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, tuple | set):
        return list(value)
    return value


def model_field(model, name: str):
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    return field if field.concrete or field.many_to_many or is_children(field) else None


def unsaved_row(model, values: dict):
    """A new, unsaved row of `model` holding `values` (JSON), its many-to-many links left out:
    they need a saved row."""
    row = model()
    assign(row, {name: value for name, value in values.items() if not _is_many(model, name)})
    return row


def _is_many(model, name: str) -> bool:
    field = model_field(model, name)
    return bool(field and field.many_to_many)


def is_children(field) -> bool:
    """An inline relation edited with its parent (a modelcluster ParentalKey points here)."""
    return bool(field.one_to_many and isinstance(getattr(field, "field", None), ParentalKey))


def _child_fields(relation) -> list:
    """The child's own columns: not its key, not the parent, not modeltranslation's
    language-neutral alias (its `note_et`, `note_ru`, `note_en` are kept)."""
    child = relation.related_model
    skip = {relation.field.name, *_translated(child)}
    return [f for f in child._meta.concrete_fields if not f.primary_key and f.name not in skip]


def _child_row(relation, values: dict) -> dict:
    row = {}
    for f in _child_fields(relation):
        value = values.get(f.name)
        if value is None and isinstance(f, models.CharField | models.TextField):
            value = ""
        row[f.name] = to_json(value)
    return row


def _sorted_rows(rows: list[dict]) -> list[dict]:
    return sorted(rows, key=lambda row: [str(value) for value in row.values()])


def _child_instances(relation, rows: list[dict]) -> list:
    child = relation.related_model
    instances = []
    for row in rows:
        instance = child()
        for f in _child_fields(relation):
            setattr(instance, f.attname, f.to_python(row.get(f.name)))
        instances.append(instance)
    return instances


def current_values(entry, names) -> dict:
    """The entry's stored values of `names`, as JSON."""
    values = {}
    for name in names:
        field = model_field(type(entry), name)
        if is_children(field):
            rows = [_child_row(field, vars(row)) for row in getattr(entry, name).all()]
            values[name] = _sorted_rows(rows)
        elif field.many_to_many:
            values[name] = sorted(getattr(entry, name).values_list("pk", flat=True))
        elif field.is_relation:
            values[name] = getattr(entry, field.attname)
        elif isinstance(field, models.CharField | models.TextField):
            # Translation columns are nullable; a form gives "" for the same empty text.
            values[name] = getattr(entry, name) or ""
        else:
            values[name] = to_json(getattr(entry, name))
    return values


def form_values(form) -> dict:
    """What an admin form would write: its enabled fields that are model fields, as JSON."""
    model = form._meta.model
    values = {}
    for name, value in form.cleaned_data.items():
        field = model_field(model, name)
        if name not in form.fields or form.fields[name].disabled or not field:
            continue
        if value is None and isinstance(field, models.CharField | models.TextField):
            value = ""  # an empty translation column: "" as current_values() reads it
        values[name] = to_json(value)
    for name, formset in getattr(form, "formsets", {}).items():
        relation = model_field(model, name)
        kept = [f for f in formset.forms if f not in formset.deleted_forms and f.cleaned_data]
        values[name] = _sorted_rows([_child_row(relation, f.cleaned_data) for f in kept])
    return values


def assign(entry, values: dict) -> dict:
    """Set the plain and foreign-key fields on the instance (unsaved); returns the
    many-to-many values, which only a saved row can take."""
    related = {}
    for name, value in values.items():
        field = model_field(type(entry), name)
        if is_children(field):
            setattr(entry, name, _child_instances(field, value))  # in memory until saved
        elif field.many_to_many:
            related[name] = value
        elif field.is_relation:
            setattr(entry, field.attname, value)
        else:
            setattr(entry, name, field.to_python(value))
    return related


# -- for people: labels and values in the reader's language ----------------------------------

# Fields whose model gives no verbose name (or a label that would read wrong in a diff).
FIELD_LABELS = {
    "municipality": gettext_lazy("municipality"),
    "component": gettext_lazy("component"),
    "service": gettext_lazy("service"),
    "provider": gettext_lazy("provider"),
    "target_groups": gettext_lazy("target groups"),
    "role": gettext_lazy("role"),
    "unit": gettext_lazy("unit"),
    "offer": gettext_lazy("offer"),
    "contactperson.name": gettext_lazy("full name"),
}
LANGUAGE_LABELS = {
    "et": gettext_lazy("Estonian"),
    "ru": gettext_lazy("Russian"),
    "en": gettext_lazy("English"),
}


def field_label(model, name: str) -> str:
    """ "phone" → "telefon"; "notes_ru" → "märkused (vene keeles)": never a raw column name."""
    base, _sep, lang = name.rpartition("_")
    if lang in LANGUAGE_LABELS and base in _translated(model):
        return _("%(field)s (%(language)s)") % {
            "field": _label_of(model, base),
            "language": LANGUAGE_LABELS[lang],
        }
    return _label_of(model, name)


def _translated(model) -> tuple[str, ...]:
    from modeltranslation.translator import NotRegistered, translator

    try:
        return tuple(translator.get_options_for_model(model).fields)
    except NotRegistered:
        return ()


def _label_of(model, name: str) -> str:
    for key in (f"{model._meta.model_name}.{name}", name):
        if key in FIELD_LABELS:
            return str(FIELD_LABELS[key])
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return name.replace("_", " ")
    if is_children(field):
        return str(field.related_model._meta.verbose_name_plural)
    try:
        return str(field.verbose_name)
    except AttributeError:
        return name.replace("_", " ")


def describe_value(model, name: str, value) -> str:
    """A stored JSON value as the reader would say it: names for keys and codes, "—" for
    nothing, dates as dates."""
    if value in (None, "", []):
        return "—"
    field = model_field(model, name)
    if field is None:
        return str(value)
    if is_children(field):
        return "; ".join(str(row) for row in _child_instances(field, value))
    choices = _choices_for(model, name, field)
    if field.many_to_many:
        names = {o.pk: str(o) for o in field.related_model._default_manager.filter(pk__in=value)}
        return ", ".join(names.get(pk, str(pk)) for pk in value)
    if field.is_relation:
        found = field.related_model._default_manager.filter(pk=value).first()
        return str(found) if found is not None else str(value)
    if choices:
        values = value if isinstance(value, list) else [value]
        return ", ".join(str(choices.get(v, v)) for v in values)
    return str(value)


def _choices_for(model, name: str, field) -> dict:
    if field.choices:
        return dict(field.flatchoices)
    if name == "languages":
        from directory.models.base import LANGUAGE_CHOICES

        return dict(LANGUAGE_CHOICES)
    if name == "work_forms":
        from directory.models import WorkForm

        return dict(WorkForm.choices)
    return {}


def describe_changes(model, diff) -> list[dict]:
    """[(field, old, new)] → [{label, old, new}] in the active language."""
    return [
        {
            "name": name,
            "label": field_label(model, name),
            "old": describe_value(model, name, old),
            "new": describe_value(model, name, new),
        }
        for name, old, new in diff
    ]
