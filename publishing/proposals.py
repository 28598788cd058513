"""Field values of a proposed change as JSON, and putting them back onto an entry.

A change to a published offer or contact is kept as {field name: value} (publishing.models.
PendingChange) until a moderator approves it: foreign keys as primary keys, many-to-many
fields as sorted lists of primary keys, dates as ISO strings, everything else as the model
field holds it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import FieldDoesNotExist
from django.db import models


def to_json(value):
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, models.QuerySet):
        return sorted(value.values_list("pk", flat=True))
    if isinstance(value, list | tuple | set) and value and all(isinstance(v, models.Model) for v in value):
        return sorted(v.pk for v in value)
    if isinstance(value, dt.date | dt.datetime):
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
    return field if field.concrete or field.many_to_many else None


def current_values(entry, names) -> dict:
    """The entry's stored values of `names`, as JSON."""
    values = {}
    for name in names:
        field = model_field(type(entry), name)
        if field.many_to_many:
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
    return {
        name: to_json(value)
        for name, value in form.cleaned_data.items()
        if name in form.fields and not form.fields[name].disabled and model_field(model, name)
    }


def assign(entry, values: dict) -> dict:
    """Set the plain and foreign-key fields on the instance (unsaved); returns the
    many-to-many values, which only a saved row can take."""
    related = {}
    for name, value in values.items():
        field = model_field(type(entry), name)
        if field.many_to_many:
            related[name] = value
        elif field.is_relation:
            setattr(entry, field.attname, value)
        else:
            setattr(entry, name, field.to_python(value))
    return related
