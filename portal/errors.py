"""The error summary of a public form (the GOV.UK pattern): every page that validates a form
puts `error_summary` in its context; `base.html` then starts the title with "Error:" and shows
`components/error_summary.html` at the top of the main content, where it takes the focus. Each
entry links to the field it is about; the field itself shows the same message, tied to it by
`aria-describedby` (Django's own `<ul class="errorlist" id="<field id>_error">`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django import forms


@dataclass(frozen=True)
class FormError:
    message: str
    anchor: str = ""  # id of the field the message is about; "" when none is on the page


def error_summary(
    source: forms.BaseForm | Mapping[str, str], anchors: Mapping[str, str] | None = None
) -> list[FormError]:
    """The summary's entries: of a bound form (a field's errors link to the field, the form's
    own errors to its first visible field), or of {parameter: message} with `anchors` naming
    the field id of each parameter shown on the page."""
    anchors = anchors or {}
    if isinstance(source, Mapping):
        return [FormError(str(message), anchors.get(name, "")) for name, message in source.items()]
    if not source.is_bound or not source.errors:
        return []
    fields = [field for field in source.visible_fields() if field.id_for_label]
    first = anchors.get("", fields[0].id_for_label if fields else "")
    entries = [FormError(str(error), first) for error in source.non_field_errors()]
    for field in fields:
        anchor = anchors.get(field.name, field.id_for_label)
        entries.extend(FormError(str(error), anchor) for error in field.errors)
    for field in source.hidden_fields():
        entries.extend(FormError(str(error), anchors.get(field.name, "")) for error in field.errors)
    return entries
